using System.Text.Json.Nodes;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Hosting;

namespace Weft.ControlPlane.Admin;

/// <summary>
/// What the translator says about the objects an apply changed: its WEFT findings for them and every
/// condition that is not as it should be, so `weft apply` shows at once what only the server's console
/// and `weft get` showed before.
/// </summary>
internal static class ChangeFindings
{
    // Conditions of negative polarity: True is the problem.
    private static readonly HashSet<string> Negative = new(StringComparer.Ordinal) { "Conflicted", "OverlappingTLSConfig" };

    public static JsonArray For(ControlPlaneServer server, IEnumerable<ResourceKey> keys, Func<ResourceKey, string> describe)
    {
        var findings = new JsonArray();
        var diagnostics = server.Engine.Diagnostics;
        foreach (var key in keys)
        {
            var ids = new[] { $"{key.Kind}/{key.Namespace}/{key.Name}", $"{key.Kind}/{key.Name}" };
            foreach (var d in diagnostics.Where(d => d.Resource is not null && ids.Contains(d.Resource, StringComparer.Ordinal)))
            {
                findings.Add($"{describe(key)}: {d}");
            }

            if (server.Status.Get(key) is { } status)
            {
                Conditions(JsonNode.Parse(YamlCodec.ToJson(status, indented: false)), "", describe(key), findings);
            }
        }

        return findings;
    }

    // Walks status for every `conditions` list (the object's, each parent's, each listener's).
    private static void Conditions(JsonNode? node, string path, string resource, JsonArray findings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (name == "conditions" && child is JsonArray conditions)
                    {
                        foreach (var c in conditions)
                        {
                            var type = (string?)c?["type"];
                            var value = (string?)c?["status"];
                            if (type is null || value == (Negative.Contains(type) ? "False" : "True"))
                            {
                                continue;
                            }

                            var where = path.Length == 0 ? "" : $" ({path})";
                            findings.Add($"{resource}{where}: {type}={value} ({(string?)c!["reason"]}): {(string?)c["message"]}");
                        }
                    }
                    else if (child is JsonObject or JsonArray)
                    {
                        Conditions(child, path.Length == 0 ? name : $"{path}.{name}", resource, findings);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Conditions(array[i], $"{path}[{Label(array[i], i)}]", resource, findings);
                }

                break;
        }
    }

    // A parent or listener by its name rather than its index, when it has one.
    private static string Label(JsonNode? item, int index) =>
        (string?)item?["parentRef"]?["name"] ?? (string?)item?["name"] ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
