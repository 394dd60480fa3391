using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Weft.Api.Model;
using Weft.Api.Validation;
using YamlDotNet.Core;

namespace Weft.Api.Yaml;

/// <summary>
/// Decodes the documents of one decode call (one text, or many files): walks each YAML node tree against the target
/// CLR type, collecting every problem, builds a JSON tree shaped by the type, and deserializes it with KubernetesClient's
/// System.Text.Json settings. Remembers the resources seen so far to report duplicates.
/// </summary>
internal sealed class DecodeSession
{
    private static readonly HashSet<string> DroppedMetadata = new(StringComparer.Ordinal) { "managedFields", "resourceVersion", "uid", "selfLink" };
    private static readonly ConcurrentDictionary<Type, Func<JsonNode, object>> Deserializers = new();

    private readonly Dictionary<ResourceKey, SourceLocation> _seen = [];

    public List<DecodedResource> Resources { get; } = [];
    public List<Diagnostic> Diagnostics { get; } = [];

    public void DecodeText(string text, string fileName)
    {
        foreach (var doc in YamlReader.ReadAll(text))
        {
            if (doc.Error is { } err)
            {
                Diagnostics.Add(Make(DiagnosticCodes.MalformedYaml, err.Message, new SourceLocation(fileName, err.Pos.Line, err.Pos.Column), null, null));
                continue;
            }

            if (doc.Root is null or YScalar { IsNull: true })
            {
                continue; // empty or comments-only document
            }

            DecodeObject(doc.Root, fileName, "");
        }
    }

    public void DecodeUtf8(ReadOnlySpan<byte> bytes, string fileName)
    {
        var text = Utf8Text.Decode(bytes, fileName, out var error);
        if (text is null)
        {
            Diagnostics.Add(error!);
            return;
        }

        DecodeText(text, fileName);
    }

    public void AddDiagnostic(Diagnostic d) => Diagnostics.Add(d);

    private void DecodeObject(YNode root, string fileName, string pathPrefix)
    {
        var doc = new DocumentWalker(fileName);
        if (root is not YMapping map)
        {
            Diagnostics.Add(doc.Make(DiagnosticCodes.InvalidValue, $"a document must be a mapping with apiVersion and kind, got {root.Describe}", root.Pos, NullIfEmpty(pathPrefix)));
            return;
        }

        var apiVersionNode = map.Get("apiVersion") as YScalar;
        var kindNode = map.Get("kind") as YScalar;
        var apiVersion = apiVersionNode is { IsNull: false } ? apiVersionNode.Value : null;
        var kindName = kindNode is { IsNull: false } ? kindNode.Value : null;

        var meta = map.Get("metadata") as YMapping;
        var name = (meta?.Get("name") as YScalar) is { IsNull: false } n ? n.Value : null;
        var ns = (meta?.Get("namespace") as YScalar) is { IsNull: false } s ? s.Value : null;
        doc.Resource = kindName is null ? null : ResourceName(kindName, ns, name);

        if (apiVersion is null || kindName is null)
        {
            if (apiVersion is null)
            {
                Diagnostics.Add(doc.Make(DiagnosticCodes.MissingField, "required field `apiVersion` is missing", map.Pos, FieldPath.Child(pathPrefix, "apiVersion")));
            }

            if (kindName is null)
            {
                Diagnostics.Add(doc.Make(DiagnosticCodes.MissingField, "required field `kind` is missing", map.Pos, FieldPath.Child(pathPrefix, "kind")));
            }

            return;
        }

        if (kindName == "List" && apiVersion == "v1")
        {
            DecodeList(map, fileName, pathPrefix, doc);
            return;
        }

        var kind = ResourceKinds.Find(apiVersion, kindName);
        if (kind is null)
        {
            var notRead = NotReadKinds.Find(apiVersion, kindName);
            Diagnostics.Add(notRead is null
                ? doc.Make(DiagnosticCodes.UnknownKind, UnknownKindMessage(apiVersion, kindName), kindNode!.Pos, FieldPath.Child(pathPrefix, "kind"))
                : doc.Make(notRead.Code, $"{apiVersion} {kindName} is not read by Weft: {notRead.Consequence}", kindNode!.Pos, FieldPath.Child(pathPrefix, "kind")));
            return;
        }

        doc.Resource = ResourceName(kind.Kind, kind.Namespaced ? ns : null, name);
        var location = new SourceLocation(fileName, map.Pos.Line, map.Pos.Column);
        if (name is not null)
        {
            var key = new ResourceKey(kind.Group, kind.Kind, kind.Namespaced ? ns ?? "default" : "", name);
            if (_seen.TryGetValue(key, out var first))
            {
                Diagnostics.Add(doc.Make(DiagnosticCodes.DuplicateResource, $"`{key}` is already defined at {first}", map.Pos, "metadata.name"));
                return;
            }

            _seen[key] = location;
        }

        var json = doc.WalkRoot(map, (ObjectShape)TypeShape.For(kind.ClrType));
        if (doc.HasErrors)
        {
            Diagnostics.AddRange(doc.SortedDiagnostics);
            return;
        }

        IKubernetesObject<V1ObjectMeta> obj;
        try
        {
            obj = (IKubernetesObject<V1ObjectMeta>)Deserializer(kind.ClrType)(json);
        }
        catch (Exception ex)
        {
            // The walk already checked every value, so this is a converter disagreeing with it; still never throw.
            Diagnostics.AddRange(doc.Diagnostics);
            Diagnostics.Add(doc.Make(DiagnosticCodes.InvalidValue, ex.Message, map.Pos, null));
            return;
        }

        var decoded = new DecodedResource(obj, kind, location);
        var problems = ResourceValidator.Validate(decoded);
        Diagnostics.AddRange(doc.Diagnostics);
        var hasErrors = false;
        foreach (var p in problems)
        {
            hasErrors |= p.Severity == DiagnosticSeverity.Error;
            Diagnostics.Add(p with { Location = doc.Locate(p.Field) ?? p.Location ?? location, Resource = p.Resource ?? doc.Resource });
        }

        if (!hasErrors)
        {
            Resources.Add(decoded);
        }
    }

    private void DecodeList(YMapping map, string fileName, string pathPrefix, DocumentWalker doc)
    {
        var items = map.Get("items");
        if (items is null or YScalar { IsNull: true })
        {
            return;
        }

        if (items is not YSequence seq)
        {
            Diagnostics.Add(doc.Make(DiagnosticCodes.InvalidValue, $"expected a list, got {items.Describe}", items.Pos, FieldPath.Child(pathPrefix, "items")));
            return;
        }

        foreach (var item in seq.Items)
        {
            if (item is YScalar { IsNull: true })
            {
                continue;
            }

            DecodeObject(item, fileName, "");
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    internal static string ResourceName(string kind, string? ns, string? name) =>
        name is null ? kind : ns is null ? $"{kind}/{name}" : $"{kind}/{ns}/{name}";

    private static string UnknownKindMessage(string apiVersion, string kind)
    {
        var sameKind = ResourceKinds.All.Where(k => k.Kind == kind).ToList();
        if (sameKind.Count > 0)
        {
            var versions = string.Join(" or ", sameKind.SelectMany(k => k.Versions.Select(v => k.Group.Length == 0 ? v : $"{k.Group}/{v}")));
            return $"{kind} is not read in apiVersion `{apiVersion}`; use apiVersion {versions}";
        }

        var close = Suggest.Closest(kind, ResourceKinds.All.Select(k => k.Kind));
        if (close is not null)
        {
            var k = ResourceKinds.All.First(x => x.Kind == close);
            var av = k.Group.Length == 0 ? k.Versions[0] : $"{k.Group}/{k.Versions[0]}";
            return $"unknown kind `{kind}` (apiVersion {apiVersion}); did you mean `{close}` (apiVersion {av})?";
        }

        return $"{apiVersion} {kind} is not a kind Weft reads (it reads {string.Join(", ", ResourceKinds.All.Select(x => x.Kind))})";
    }

    private static Diagnostic Make(DiagnosticCode code, string message, SourceLocation? location, string? resource, string? field) =>
        new() { Code = code.Code, Severity = code.Severity, Message = message, Location = location, Resource = resource, Field = field };

    private static Func<JsonNode, object> Deserializer(Type type) =>
        Deserializers.GetOrAdd(type, t =>
        {
            var method = typeof(DecodeSession).GetMethod(nameof(DeserializeAs), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);
            return method.CreateDelegate<Func<JsonNode, object>>();
        });

    private static object DeserializeAs<T>(JsonNode node) =>
        KubernetesJson.Deserialize<T>(node) ?? throw new FormatException("the document decoded to null");

    /// <summary>Walks one document. Collects diagnostics and the position of every field path.</summary>
    private sealed class DocumentWalker(string fileName)
    {
        private readonly Dictionary<string, YPos> _positions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, YPos> _keyPositions = new(StringComparer.Ordinal);
        private bool _lenient;
        private bool _lenientFailed;

        public string? Resource { get; set; }
        public List<Diagnostic> Diagnostics { get; } = [];
        public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

        /// <summary>In the order of the text (stable for equal positions).</summary>
        public IEnumerable<Diagnostic> SortedDiagnostics => Diagnostics.OrderBy(d => d.Location?.Line ?? 0).ThenBy(d => d.Location?.Column ?? 0);

        public Diagnostic Make(DiagnosticCode code, string message, YPos pos, string? field) =>
            new()
            {
                Code = code.Code,
                Severity = code.Severity,
                Message = message,
                Location = new SourceLocation(fileName, pos.Line, pos.Column),
                Resource = Resource,
                Field = field,
            };

        /// <summary>The location of a field path, or of its nearest ancestor that was in the YAML.</summary>
        public SourceLocation? Locate(string? field)
        {
            if (field is null)
            {
                return null;
            }

            for (var p = field; ; p = FieldPath.Parent(p))
            {
                if (_positions.TryGetValue(p, out var pos))
                {
                    return new SourceLocation(fileName, pos.Line, pos.Column);
                }

                if (p.Length == 0)
                {
                    return null;
                }
            }
        }

        private void Report(DiagnosticCode code, string message, YPos pos, string field)
        {
            if (_lenient)
            {
                _lenientFailed = true;
                return;
            }

            Diagnostics.Add(Make(code, message, pos, field));
        }

        public JsonObject WalkRoot(YMapping map, ObjectShape shape)
        {
            _positions[""] = map.Pos;
            var obj = WalkObject(map, shape, "", root: true);
            var metaNode = map.Get("metadata");
            var hasName = metaNode is YMapping meta && meta.Get("name") is YScalar { IsNull: false, Value.Length: > 0 };
            if (!hasName && metaNode is null or YScalar { IsNull: true } or YMapping)
            {
                Report(DiagnosticCodes.MissingField, "required field `metadata.name` is missing", _keyPositions.GetValueOrDefault("metadata", map.Pos), "metadata.name");
            }

            if (!obj.ContainsKey("spec") && shape.Properties.TryGetValue("spec", out var spec)
                && spec.Shape is ObjectShape { HasRequiredMembers: true } && map.Get("spec") is null or YScalar { IsNull: true })
            {
                Report(DiagnosticCodes.MissingField, "required field `spec` is missing", map.Pos, "spec");
            }

            return obj;
        }

        private JsonObject WalkObject(YMapping map, ObjectShape shape, string path, bool root = false)
        {
            var obj = new JsonObject();
            var seen = new Dictionary<string, YPos>(StringComparer.Ordinal);
            var failed = new HashSet<string>(StringComparer.Ordinal); // present but invalid, or suggested for a misspelt key
            foreach (var (keyNode, valueNode) in map.Entries)
            {
                if (keyNode is not YScalar key)
                {
                    Report(DiagnosticCodes.InvalidValue, $"a key must be a string, got {keyNode.Describe}", keyNode.Pos, path);
                    continue;
                }

                var name = key.Value;
                var childPath = FieldPath.Child(path, name);
                if (seen.TryGetValue(name, out var firstPos))
                {
                    Report(DiagnosticCodes.MalformedYaml, $"duplicate key `{name}` (first at line {firstPos.Line})", key.Pos, childPath);
                    continue;
                }

                seen[name] = key.Pos;
                _positions[childPath] = valueNode.Pos;
                _keyPositions[childPath] = key.Pos;

                if (path == "metadata" && DroppedMetadata.Contains(name))
                {
                    continue; // server-populated; meaningless in a file
                }

                if (!shape.Properties.TryGetValue(name, out var prop))
                {
                    if (root && name == "status")
                    {
                        continue; // kinds without a status in our model: kubectl output is accepted as is
                    }

                    if (!_lenient)
                    {
                        var close = Suggest.Closest(name, shape.Properties.Keys);
                        var hint = close is null ? "" : $"; did you mean `{close}`?";
                        if (close is not null)
                        {
                            failed.Add(close); // don't also report the field the user meant as missing
                        }

                        Report(DiagnosticCodes.UnknownField, $"unknown field `{name}`{hint}", key.Pos, childPath);
                    }

                    continue;
                }

                JsonNode? value;
                bool ok;
                if (root && name == "status")
                {
                    // Status is what a server said, not user intent: read it when it fits, drop it silently when not.
                    _lenient = true;
                    _lenientFailed = false;
                    ok = Walk(valueNode, prop.Shape, childPath, out value);
                    _lenient = false;
                    if (!ok || _lenientFailed)
                    {
                        continue;
                    }
                }
                else
                {
                    ok = Walk(valueNode, prop.Shape, childPath, out value);
                }

                if (!ok)
                {
                    failed.Add(name);
                }
                else if (value is not null)
                {
                    obj[name] = value;
                }
            }

            foreach (var prop in shape.Properties.Values)
            {
                if (prop.Required && !obj.ContainsKey(prop.JsonName) && !failed.Contains(prop.JsonName))
                {
                    // Point at the key that holds this mapping ("spec:"), or at the list item's first line.
                    var at = _keyPositions.TryGetValue(path, out var keyPos) ? keyPos : map.Pos;
                    Report(DiagnosticCodes.MissingField, $"required field `{prop.JsonName}` is missing", at, FieldPath.Child(path, prop.JsonName));
                }
            }

            return obj;
        }

        private bool Walk(YNode node, TypeShape shape, string path, out JsonNode? value)
        {
            value = null;
            if (node is YScalar { IsNull: true })
            {
                return true;
            }

            switch (shape)
            {
                case ObjectShape obj:
                    if (node is not YMapping objectMap)
                    {
                        Report(DiagnosticCodes.InvalidValue, $"expected a mapping, got {node.Describe}", node.Pos, path);
                        return false;
                    }

                    var before = Diagnostics.Count;
                    value = WalkObject(objectMap, obj, path);
                    return Diagnostics.Count == before;

                case ListShape list:
                {
                    if (node is not YSequence seq)
                    {
                        Report(DiagnosticCodes.InvalidValue, $"expected a list, got {node.Describe}", node.Pos, path);
                        return false;
                    }

                    var arr = new JsonArray();
                    var ok = true;
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        var itemPath = FieldPath.Index(path, i);
                        _positions[itemPath] = seq.Items[i].Pos;
                        if (seq.Items[i] is YScalar { IsNull: true })
                        {
                            Report(DiagnosticCodes.InvalidValue, $"expected {list.Element.Expected}, got null", seq.Items[i].Pos, itemPath);
                            ok = false;
                            continue;
                        }

                        if (Walk(seq.Items[i], list.Element, itemPath, out var item))
                        {
                            arr.Add(item);
                        }
                        else
                        {
                            ok = false;
                        }
                    }

                    value = arr;
                    return ok;
                }

                case MapShape mapShape:
                {
                    if (node is not YMapping map)
                    {
                        Report(DiagnosticCodes.InvalidValue, $"expected a mapping, got {node.Describe}", node.Pos, path);
                        return false;
                    }

                    var result = new JsonObject();
                    var ok = true;
                    foreach (var (keyNode, valueNode) in map.Entries)
                    {
                        if (keyNode is not YScalar key)
                        {
                            Report(DiagnosticCodes.InvalidValue, $"a key must be a string, got {keyNode.Describe}", keyNode.Pos, path);
                            ok = false;
                            continue;
                        }

                        var childPath = FieldPath.Child(path, key.Value);
                        _positions[childPath] = valueNode.Pos;
                        if (result.ContainsKey(key.Value))
                        {
                            Report(DiagnosticCodes.MalformedYaml, $"duplicate key `{key.Value}`", key.Pos, childPath);
                            ok = false;
                            continue;
                        }

                        if (valueNode is YScalar { IsNull: true })
                        {
                            if (mapShape.Value is ScalarShape { Kind: ScalarKind.String })
                            {
                                result[key.Value] = ""; // Kubernetes reads a null map value as the empty string
                                continue;
                            }

                            Report(DiagnosticCodes.InvalidValue, $"expected {mapShape.Value.Expected}, got null", valueNode.Pos, childPath);
                            ok = false;
                            continue;
                        }

                        if (Walk(valueNode, mapShape.Value, childPath, out var v))
                        {
                            result[key.Value] = v;
                        }
                        else
                        {
                            ok = false;
                        }
                    }

                    value = result;
                    return ok;
                }

                case ScalarShape scalar:
                    if (scalar.Kind == ScalarKind.Any)
                    {
                        value = Generic(node);
                        return true;
                    }

                    if (node is not YScalar s)
                    {
                        Report(DiagnosticCodes.InvalidValue, $"expected {scalar.Expected}, got {node.Describe}", node.Pos, path);
                        return false;
                    }

                    if (Scalar(s, scalar, out value, out var error))
                    {
                        return true;
                    }

                    Report(DiagnosticCodes.InvalidValue, error, s.Pos, path);
                    return false;

                default:
                    throw new InvalidOperationException($"unknown shape {shape.GetType().Name}");
            }
        }

        private static bool Scalar(YScalar s, ScalarShape shape, out JsonNode? value, out string error)
        {
            value = null;
            error = "";
            var text = s.Value;
            var isStrTagged = s.Tag == "tag:yaml.org,2002:str";
            switch (shape.Kind)
            {
                case ScalarKind.String:
                case ScalarKind.Duration:
                    value = JsonValue.Create(text);
                    return true;

                case ScalarKind.Bool:
                    if (!isStrTagged && text is "true" or "True" or "TRUE")
                    {
                        value = JsonValue.Create(true);
                        return true;
                    }

                    if (!isStrTagged && text is "false" or "False" or "FALSE")
                    {
                        value = JsonValue.Create(false);
                        return true;
                    }

                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;

                case ScalarKind.Integer:
                    if (!isStrTagged && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        if (l < shape.Min || l > shape.Max)
                        {
                            error = $"`{text}` is out of range for this field ({shape.Min}..{shape.Max})";
                            return false;
                        }

                        value = JsonValue.Create(l);
                        return true;
                    }

                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;

                case ScalarKind.Number:
                    if (!isStrTagged && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        value = JsonValue.Create(d);
                        return true;
                    }

                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;

                case ScalarKind.IntOrString:
                    if (s.IsPlain && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                    {
                        value = JsonValue.Create(i);
                        return true;
                    }

                    value = JsonValue.Create(text);
                    return true;

                case ScalarKind.Quantity:
                    try
                    {
                        _ = new ResourceQuantity(text);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                    {
                        error = $"expected {shape.Expected}, got `{text}`";
                        return false;
                    }

                    value = JsonValue.Create(text);
                    return true;

                case ScalarKind.DateTime:
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.OrdinalIgnoreCase))
                    {
                        value = JsonValue.Create(text);
                        return true;
                    }

                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;

                case ScalarKind.Bytes:
                {
                    var compact = text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
                    var buffer = new byte[compact.Length];
                    if (Convert.TryFromBase64String(compact, buffer, out _))
                    {
                        value = JsonValue.Create(compact);
                        return true;
                    }

                    error = $"expected {shape.Expected}, got a value that is not base64 (put plain text under `stringData`)";
                    return false;
                }

                case ScalarKind.Enum:
                    foreach (var n in shape.EnumNames)
                    {
                        if (string.Equals(n, text, StringComparison.OrdinalIgnoreCase))
                        {
                            value = JsonValue.Create(n);
                            return true;
                        }
                    }

                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;

                default:
                    error = $"expected {shape.Expected}, got `{text}`";
                    return false;
            }
        }

        /// <summary>A free-form value (an `object` property): YAML 1.2 core schema resolution of plain scalars.</summary>
        private static JsonNode? Generic(YNode node)
        {
            switch (node)
            {
                case YMapping mapping:
                    var obj = new JsonObject();
                    foreach (var (k, v) in mapping.Entries)
                    {
                        var key = k is YScalar ks ? ks.Value : k.Describe;
                        obj[key] = Generic(v);
                    }

                    return obj;
                case YSequence seq:
                    var arr = new JsonArray();
                    foreach (var item in seq.Items)
                    {
                        arr.Add(Generic(item));
                    }

                    return arr;
                case YScalar s:
                    if (s.IsNull)
                    {
                        return null;
                    }

                    if (s.IsPlain)
                    {
                        if (s.Value is "true" or "True" or "TRUE") return JsonValue.Create(true);
                        if (s.Value is "false" or "False" or "FALSE") return JsonValue.Create(false);
                        if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
                        if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
                    }

                    return JsonValue.Create(s.Value);
                default:
                    return null;
            }
        }
    }
}
