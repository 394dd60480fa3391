using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Weft.Api.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weft.Api.Yaml;

/// <summary>The result of decoding: every resource that decoded cleanly, and every problem found (never only the first).</summary>
public sealed record DecodeResult(IReadOnlyList<DecodedResource> Resources, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>One resource read from YAML, its kind, and where its document starts.</summary>
public sealed record DecodedResource(IKubernetesObject<V1ObjectMeta> Object, ResourceKind Kind, SourceLocation Location)
{
    /// <summary>"Kind/namespace/name" (or "Kind/name" without a namespace), as diagnostics name resources.</summary>
    public string DisplayName => DecodeSession.ResourceName(Kind.Kind, Kind.Namespaced ? Object.Metadata?.NamespaceProperty : null, Object.Metadata?.Name);
}

/// <summary>
/// The strict YAML codec: multi-document YAML in, typed resources and diagnostics out (unknown fields, wrong types,
/// missing required fields, unknown kinds, duplicates, malformed YAML, and the CRDs' validation rules); and the
/// canonical YAML/JSON output (camelCase, nulls omitted, properties in declaration order).
/// </summary>
public static class YamlCodec
{
    /// <summary>Decodes every document of a multi-document YAML text. Never throws on bad input; never stops at the first error.</summary>
    public static DecodeResult Decode(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var session = new DecodeSession();
        session.DecodeText(text, fileName);
        return new DecodeResult(session.Resources, session.Diagnostics);
    }

    /// <summary>Decodes UTF-8 bytes (a file, a request body); invalid UTF-8 is one WEFT0012 error and nothing is decoded.</summary>
    public static DecodeResult DecodeUtf8(ReadOnlySpan<byte> bytes, string fileName)
    {
        var session = new DecodeSession();
        session.DecodeUtf8(bytes, fileName);
        return new DecodeResult(session.Resources, session.Diagnostics);
    }

    /// <summary>Reads files and folders (folders recursively, *.yaml and *.yml, in ordinal path order) and decodes them all as one set.</summary>
    public static DecodeResult DecodePaths(IEnumerable<string> paths)
    {
        var session = new DecodeSession();
        foreach (var path in paths)
        {
            IEnumerable<string> files;
            if (Directory.Exists(path))
            {
                try
                {
                    files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                        .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                        .Order(StringComparer.Ordinal)
                        .ToList();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    session.AddDiagnostic(Unreadable(path, ex.Message));
                    continue;
                }
            }
            else if (File.Exists(path))
            {
                files = [path];
            }
            else
            {
                session.AddDiagnostic(Unreadable(path, "no such file or directory"));
                continue;
            }

            foreach (var file in files)
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    session.AddDiagnostic(Unreadable(file, ex.Message));
                    continue;
                }

                session.DecodeUtf8(bytes, file);
            }
        }

        return new DecodeResult(session.Resources, session.Diagnostics);
    }

    private static Diagnostic Unreadable(string path, string why) => new()
    {
        Code = DiagnosticCodes.UnreadableFile.Code,
        Severity = DiagnosticCodes.UnreadableFile.Severity,
        Message = $"cannot read `{path}`: {why}",
        Location = new SourceLocation(path, 0, 0),
    };

    /// <summary>
    /// Canonical YAML: camelCase, nulls omitted, properties in declaration order, strings quoted only when they would
    /// otherwise read back as another type. A sequence of objects (a list or array, not a dictionary and not a
    /// <see cref="JsonNode"/>) becomes a multi-document stream; anything else, including any JsonNode, is one document.
    /// </summary>
    public static string ToYaml(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder();
        using var writer = new StringWriter(sb, CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, 2, 100_000, false);
        emitter.Emit(new StreamStart());
        if (IsSequence(value, out var items))
        {
            var first = true;
            foreach (var item in items)
            {
                EmitDocument(emitter, ToNode(item), first);
                first = false;
            }
        }
        else
        {
            EmitDocument(emitter, ToNode(value), first: true);
        }

        emitter.Emit(new StreamEnd());
        return sb.ToString();
    }

    public static string ToJson(object value, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        var node = ToNode(value);
        return node is null ? "null" : node.ToJsonString(indented ? IndentedOptions : CompactOptions);
    }

    /// <summary>Reads JSON written by <see cref="ToJson"/> (or the Kubernetes API) with KubernetesClient's settings.</summary>
    public static T FromJson<T>(string json) =>
        KubernetesJson.Deserialize<T>(json) ?? throw new JsonException($"the JSON decoded to null, expected {typeof(T).Name}");

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions CompactOptions = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Serializes with KubernetesClient's settings (camelCase, its converters) and removes nulls. Items of a sequence
    /// are serialized by their runtime type, so a list of IKubernetesObject keeps each item's spec and status.
    /// A JsonNode is copied, never changed.
    /// </summary>
    private static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonNode node:
                return StripNulls(node.DeepClone());
        }

        if (IsSequence(value, out var items))
        {
            var array = new JsonArray();
            foreach (var item in items)
            {
                array.Add(ToNode(item));
            }

            return array;
        }

        return StripNulls(JsonNode.Parse(KubernetesJson.Serialize(value)));
    }

    private static bool IsSequence(object value, out System.Collections.IEnumerable items)
    {
        items = value as System.Collections.IEnumerable ?? Array.Empty<object>();
        if (value is string or byte[] or JsonNode or System.Collections.IDictionary || value is not System.Collections.IEnumerable)
        {
            return false;
        }

        return !value.GetType().GetInterfaces().Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
    }

    private static JsonNode? StripNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var p in obj)
                {
                    StripNulls(p.Value);
                }

                break;
            case JsonArray arr:
                foreach (var item in arr)
                {
                    StripNulls(item);
                }

                break;
        }

        return node;
    }

    private static void EmitDocument(IEmitter emitter, JsonNode? node, bool first)
    {
        emitter.Emit(new DocumentStart(null, null, isImplicit: first));
        EmitNode(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
    }

    private static void EmitNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, child) in obj)
                {
                    EmitString(emitter, key);
                    EmitNode(emitter, child);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray arr:
                emitter.Emit(new SequenceStart(null, null, true, arr.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in arr)
                {
                    EmitNode(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, v.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        emitter.Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
                        break;
                    case JsonValueKind.False:
                        emitter.Emit(new Scalar(null, null, "false", ScalarStyle.Plain, true, false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, v.ToJsonString(), ScalarStyle.Plain, true, false));
                        break;
                }

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string s)
    {
        ScalarStyle style;
        if (ReadsAsNonString(s))
        {
            style = ScalarStyle.DoubleQuoted;
        }
        else if (s.Contains('\n', StringComparison.Ordinal) && !s.Contains('\t', StringComparison.Ordinal) && !s.Contains(" \n", StringComparison.Ordinal) && !s.StartsWith(' '))
        {
            style = ScalarStyle.Literal;
        }
        else
        {
            style = ScalarStyle.Any;
        }

        emitter.Emit(new Scalar(null, null, s, style, true, true));
    }

    /// <summary>True when a plain scalar with this text would be read back as null, a boolean or a number (YAML 1.1 or 1.2).</summary>
    private static bool ReadsAsNonString(string s)
    {
        if (s.Length == 0)
        {
            return true;
        }

        switch (s.ToLowerInvariant())
        {
            case "~" or "null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or ".nan" or ".inf" or "-.inf" or "+.inf":
                return true;
        }

        var c = s[0];
        if (s.Length >= 10 && char.IsAsciiDigit(c) && s[4] == '-' && s[7] == '-')
        {
            return true; // YAML 1.1 timestamp; kubectl quotes these too
        }

        if (char.IsAsciiDigit(c) || c is '-' or '+' or '.')
        {
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                || s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
                || s.Contains(':', StringComparison.Ordinal) && s.Replace(":", "", StringComparison.Ordinal).All(char.IsAsciiDigit) // YAML 1.1 sexagesimal
                || s.Contains('_', StringComparison.Ordinal) && double.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }

        return false;
    }
}
