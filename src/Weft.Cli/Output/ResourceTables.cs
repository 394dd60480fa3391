using System.Globalization;
using System.Text.Json.Nodes;
using Weft.Api.Model;

namespace Weft.Cli.Output;

/// <summary>The columns `weft get` prints per kind: kubectl's, plus a condition where it answers "is it working?".</summary>
internal static class ResourceTables
{
    public static TableWriter Build(ResourceKind kind, IReadOnlyList<JsonNode> items, bool showNamespace, DateTimeOffset now, bool wide = false)
    {
        (string[] headers, Func<JsonNode, string[]> row) = kind.Kind switch
        {
            "GatewayClass" => (new[] { "NAME", "CONTROLLER", "ACCEPTED", "AGE" }, (Func<JsonNode, string[]>)(i =>
                [Name(i), Str(i["spec"]?["controllerName"]), Condition(i["status"]?["conditions"], "Accepted"), Age(i, now)])),
            "Gateway" => (new[] { "NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE" }, i =>
                [Name(i), Str(i["spec"]?["gatewayClassName"]), Str(i["status"]?["addresses"]?[0]?["value"]), Condition(i["status"]?["conditions"], "Programmed"), Age(i, now)]),
            "HTTPRoute" or "GRPCRoute" => (new[] { "NAME", "HOSTNAMES", "ACCEPTED", "AGE" }, i =>
                [Name(i), List(i["spec"]?["hostnames"]), ParentsAccepted(i), Age(i, now)]),
            "Service" => (new[] { "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE" }, i =>
                [Name(i), Str(i["spec"]?["type"], "ClusterIP"), Str(i["spec"]?["clusterIP"], "<none>"), "<none>", Ports(i), Age(i, now)]),
            _ => (new[] { "NAME", "AGE" }, (Func<JsonNode, string[]>)(i => [Name(i), Age(i, now)])),
        };

        // kubectl's default columns stay as they are; -o wide adds where each object came from.
        if (wide)
        {
            var narrow = row;
            headers = [.. headers, "SOURCE"];
            row = i => [.. narrow(i), Source(i)];
        }

        var table = new TableWriter(showNamespace ? ["NAMESPACE", .. headers] : headers);
        foreach (var item in items)
        {
            var cells = row(item);
            table.Add(showNamespace ? [Str(item["metadata"]?["namespace"]), .. cells] : cells);
        }

        return table;
    }

    // "api", "built-in" or "file PATH:LINE", with PATH relative to the current folder when it is inside it.
    private static string Source(JsonNode i)
    {
        var source = Str(i["metadata"]?["annotations"]?["weft.dev/source"], "<unknown>");
        if (!source.StartsWith("file ", StringComparison.Ordinal))
        {
            return source;
        }

        var path = source[5..];
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? source : "file " + relative;
    }

    private static string Name(JsonNode i) => Str(i["metadata"]?["name"]);

    private static string Str(JsonNode? n, string empty = "") => n is null ? empty : n.GetValueKind() == System.Text.Json.JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString();

    private static string List(JsonNode? n) =>
        n is JsonArray a && a.Count > 0 ? string.Join(",", a.Select(x => Str(x))) : "";

    private static string Age(JsonNode i, DateTimeOffset now) =>
        TableWriter.Age(DateTimeOffset.TryParse(Str(i["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null, now);

    private static string Condition(JsonNode? conditions, string type)
    {
        if (conditions is not JsonArray a)
        {
            return "Unknown";
        }

        foreach (var c in a)
        {
            if (Str(c?["type"]) == type)
            {
                var status = Str(c!["status"]);
                return status == "True" ? "True" : $"{status} ({Str(c["reason"])})";
            }
        }

        return "Unknown";
    }

    // One cell for all parents: "True", or the first parent's failure with its reason.
    private static string ParentsAccepted(JsonNode i)
    {
        if (i["status"]?["parents"] is not JsonArray parents || parents.Count == 0)
        {
            return "Unknown";
        }

        foreach (var p in parents)
        {
            var cell = Condition(p?["conditions"], "Accepted");
            if (cell != "True")
            {
                return cell;
            }
        }

        return "True";
    }

    private static string Ports(JsonNode i)
    {
        if (i["spec"]?["ports"] is not JsonArray ports)
        {
            return "<none>";
        }

        return string.Join(",", ports.Select(p => $"{Str(p?["port"])}/{Str(p?["protocol"], "TCP")}"));
    }
}
