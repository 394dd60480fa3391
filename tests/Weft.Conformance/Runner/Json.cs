using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weft.Conformance.Runner;

/// <summary>Small helpers over System.Text.Json nodes (objects read from Weft's API and from the suite data).</summary>
internal static partial class Json
{
    public static string? Str(this JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?[name]?.ToString();

    public static long? Long(this JsonNode? node, string name) =>
        node?[name] is JsonValue v ? (v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var n) ? n : v.TryGetValue<double>(out var d) ? (long)d : long.TryParse(v.ToString(), CultureInfo.InvariantCulture, out var p) ? p : null) : null;

    /// <summary>A JSON number however it was created (parsed, or built from an int in code).</summary>
    public static long AsLong(this JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : node is JsonValue i && i.TryGetValue<int>(out var n) ? n
        : long.Parse(node?.ToString() ?? "0", CultureInfo.InvariantCulture);

    public static bool? Bool(this JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonArray Arr(this JsonNode? node, string name) => node?[name] as JsonArray ?? [];

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, string name) => node.Arr(name).OfType<JsonObject>();

    public static IReadOnlyList<string> Strings(this JsonNode? node, string name) => [.. node.Arr(name).Select(n => n?.ToString() ?? "")];

    public static IReadOnlyDictionary<string, string> Map(this JsonNode? node, string name) =>
        (node?[name] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);

    public static string Name(this JsonNode obj) => obj["metadata"]?.Str("name") ?? "";

    public static string? Namespace(this JsonNode obj) => obj["metadata"]?.Str("namespace");

    public static long? Generation(this JsonNode obj) => obj["metadata"].Long("generation");

    /// <summary>Navigates "spec.rules[0].backendRefs[0].name": returns the parent container and the last segment.</summary>
    public static (JsonNode Parent, string? Property, int? Index) Locate(JsonNode root, string path, bool create)
    {
        var segments = Segments(path);
        JsonNode current = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var (prop, index) = segments[i];
            var next = prop is not null ? current[prop] : current.AsArray()[index!.Value];
            if (next is null)
            {
                if (!create || prop is null)
                {
                    throw new InvalidOperationException($"path {path}: {prop ?? index.ToString()} does not exist");
                }

                next = segments[i + 1].Property is null ? new JsonArray() : new JsonObject();
                current[prop] = next;
            }

            current = next;
        }

        return (current, segments[^1].Property, segments[^1].Index);
    }

    public static JsonNode? Get(JsonNode root, string path)
    {
        var (parent, prop, index) = Locate(root, path, create: false);
        return prop is not null ? parent[prop] : parent.AsArray()[index!.Value];
    }

    public static void Set(JsonNode root, string path, JsonNode? value)
    {
        var (parent, prop, index) = Locate(root, path, create: true);
        if (prop is not null)
        {
            parent[prop] = value;
        }
        else
        {
            parent.AsArray()[index!.Value] = value;
        }
    }

    private static List<(string? Property, int? Index)> Segments(string path)
    {
        var result = new List<(string?, int?)>();
        foreach (var part in path.Split('.'))
        {
            var m = Segment().Match(part);
            if (!m.Success)
            {
                throw new FormatException($"bad path segment {part} in {path}");
            }

            result.Add((m.Groups[1].Value, null));
            foreach (Capture c in m.Groups[2].Captures)
            {
                result.Add((null, int.Parse(c.Value, CultureInfo.InvariantCulture)));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^([^\[\]]+)(?:\[(\d+)\])*$")]
    private static partial Regex Segment();
}
