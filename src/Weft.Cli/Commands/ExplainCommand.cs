using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Weft.Api.Yaml;
using Weft.Ir;
using Weft.Routing;
using Weft.Translation;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft x explain [--gateway NS/NAME] METHOD URL [-H name:value]…`: which listener, host, route and
/// backend a request would take, or exactly why none matches. It compiles the same IR the proxy gets
/// with the proxy's own <see cref="RouteTable"/>, and turns the URL's path into the routed path with the
/// proxy's own <see cref="PathNormalizer"/> and settings (WEFT_PROXY_* and the same flags), so its answer
/// is the proxy's answer: `/public/../admin` is routed as `/admin`, `/api/..;/admin` under `/api`.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var method = new Argument<string>("method") { Description = "The request method, e.g. GET." };
        var url = new Argument<string>("url") { Description = "The request URL, e.g. http://example.com/api (port 80 unless given)." };
        var headers = new Option<string[]>("--header", "-H") { Description = "A request header as name:value; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var gateway = new Option<string?>("--gateway") { Description = "The Gateway as NAMESPACE/NAME (default: every gateway listening on the URL's port)." };
        var from = new Option<string?>("--from") { Description = "Explain a mesh call made by a workload of this namespace, through its sidecar (default when no gateway listens on the URL's port: default)." };
        var files = CommonOptions.Files(required: false);
        files.Description = "Explain against these files instead of the running control plane (repeat -f for several).";
        // METHOD and URL follow; one path per -f keeps them from being read as paths.
        files.AllowMultipleArgumentsPerToken = false;
        var server = CommonOptions.Server();
        var command = new Command("explain", "Explain how a request would be routed, at a gateway or between workloads.") { method, url, headers, gateway, from, files, server };
        var pathSettings = new ProxySettingOptions(command, s => s.Flag is "--normalize-path" or "--merge-slashes" or "--escaped-slashes");
        command.SetHandler(async (parse, ct) =>
        {
            var normalization = pathSettings.Read(parse).PathNormalization;
            // The path as typed, not System.Uri's canonical form (which removes dot segments by its own
            // rules): the proxy routes the raw target after PathNormalizer, so explain must start from it too.
            if (!Uri.TryCreate(parse.GetValue(url), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var uri)
                || !uri.IsAbsoluteUri || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new CliException($"\"{parse.GetValue(url)}\" is not an absolute http:// or https:// URL");
            }

            var headerPairs = new List<KeyValuePair<string, string>>();
            foreach (var h in parse.GetValue(headers) ?? [])
            {
                var colon = h.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new CliException($"header \"{h}\" is not name:value");
                }

                headerPairs.Add(new(h[..colon].Trim(), h[(colon + 1)..].Trim()));
            }

            var snapshots = parse.GetValue(files) is { Length: > 0 } paths
                ? TranslateFiles(paths)
                : await FetchAsync(parse.GetValue(server)!, ct).ConfigureAwait(false);
            var wanted = parse.GetValue(gateway);
            if (wanted is not null && (!snapshots.ContainsKey(wanted) || wanted.StartsWith(SidecarPrefix, StringComparison.Ordinal)))
            {
                throw new CliException($"gateway {wanted} not found; gateways: {(snapshots.Count == 0 ? "none" : string.Join(", ", snapshots.Keys))}");
            }

            var request = RouteRequest.FromUrl(parse.GetValue(method)!, uri, headerPairs);
            var hostHeader = headerPairs.FirstOrDefault(h => string.Equals(h.Key, "host", StringComparison.OrdinalIgnoreCase)).Value;
            if (hostHeader is not null)
            {
                request = request with { Host = hostHeader };
            }

            Console.WriteLine($"request   {request.Method} {uri}" + (hostHeader is null ? "" : $" (Host: {hostHeader})"));
            var verdict = PathNormalizer.Normalize(request.Path, normalization, out var normalized);
            if (verdict == PathVerdict.Reject)
            {
                Console.WriteLine($"result    400: the path has an escaped slash and escaped slashes are rejected (--escaped-slashes / WEFT_PROXY_ESCAPED_SLASHES)");
                return 2;
            }

            if (normalized is not null)
            {
                Console.WriteLine(verdict == PathVerdict.Redirect ? $"path      {normalized} (normalized; answered 307 to it)" : $"path      {normalized} (normalized; routed and forwarded)");
                if (verdict == PathVerdict.Redirect)
                {
                    return 0;
                }

                request = request with { Path = normalized };
            }
            // Each gateway's table is compiled once; the same tables answer "who listens" and "why".
            var gateways = snapshots.Where(p => !p.Key.StartsWith(SidecarPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => RouteTable.Compile(p.Value), StringComparer.Ordinal);
            var fromNamespace = parse.GetValue(from);
            if (fromNamespace is null && wanted is null && !gateways.Values.Any(t => ResolvePort(t, uri) is not null))
            {
                fromNamespace = "default";
            }

            if (fromNamespace is not null)
            {
                // A call between workloads: the caller's sidecar answers, whatever the URL's port.
                if (!snapshots.TryGetValue(SidecarPrefix + fromNamespace, out var sidecar))
                {
                    throw new CliException($"no sidecar configuration for namespace {fromNamespace}");
                }

                var table = RouteTable.Compile(sidecar);
                var explanation = table.Explain(table.Ports[0].Port, request);
                Print($"sidecar of namespace {fromNamespace} (outbound)", table, explanation);
                return explanation.Result.IsMatch ? 0 : 2;
            }

            var matched = false;
            var candidates = wanted is not null ? [wanted] : gateways.Keys.Order(StringComparer.Ordinal).ToList();
            foreach (var key in candidates)
            {
                var table = gateways[key];
                var port = ResolvePort(table, uri);
                if (port is null)
                {
                    if (wanted is not null)
                    {
                        Console.WriteLine($"gateway   {key}");
                        Console.WriteLine($"result    no listener on port {uri.Port} (ports: {string.Join(", ", table.Ports.Select(p => $"{p.Port} bound on {p.Ir.BindAddress}:{p.Ir.BindPort}"))})");
                    }

                    continue;
                }

                var explanation = table.Explain(port.Port, request);
                Print(key, table, explanation);
                matched |= explanation.Result.IsMatch;
                if (explanation.Result.IsMatch)
                {
                    break;
                }
            }

            return matched ? 0 : 2;
        });
        return command;
    }

    // The URL may name the Gateway's port (http://example.com/ → 80) or, locally, the bound one
    // (http://localhost:8080/ → 80 + offset); a loopback host picks the Gateway bound on it.
    private const string SidecarPrefix = "sidecar:";

    private static PortModel? ResolvePort(RouteTable table, Uri uri)
    {
        var isLoopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
        foreach (var p in table.Ports)
        {
            if (p.Ir.BindPort == uri.Port && isLoopback && (uri.Host == "localhost" || uri.Host == p.Ir.BindAddress))
            {
                return p;
            }
        }

        return table.FindPort(uri.Port);
    }

    private static void Print(string gateway, RouteTable table, RouteExplanation explanation)
    {
        var r = explanation.Result;
        Console.WriteLine(gateway.StartsWith("sidecar", StringComparison.Ordinal) ? $"proxy     {gateway}" : $"gateway   {gateway}");
        if (r.Port is not null)
        {
            Console.WriteLine($"port      {r.Port.Port} ({r.Port.Ir.Protocol.ToString().ToUpperInvariant()}, bound on {r.Port.Ir.BindAddress}:{r.Port.Ir.BindPort})");
        }

        if (r.Listener is not null)
        {
            Console.WriteLine($"listener  {r.Listener.Name} (hostname: {r.Listener.Hostname ?? "any"})");
        }

        if (r.VirtualHost is not null)
        {
            Console.WriteLine($"host      {r.VirtualHost.Hostname}");
        }

        if (r.Route is { } route)
        {
            Console.WriteLine($"route     {route.DisplayName}{(route.Ir.RuleName is null ? "" : $" ({route.Ir.RuleName})")}, match {route.Ir.MatchIndex}: {DescribeMatch(route.Ir.Match)}");
            foreach (var f in route.Ir.Filters)
            {
                Console.WriteLine($"filter    {f.GetType().Name.Replace("Ir", "", StringComparison.Ordinal)}");
            }

            var total = route.Ir.Backends.Sum(b => (long)b.Weight);
            if (route.Ir.Backends.IsEmpty)
            {
                Console.WriteLine(route.Ir.Filters.Any(f => f is RequestRedirectIr) ? "backend   none: the rule redirects" : "backend   none: the rule has no backendRefs, so it answers 500");
            }

            foreach (var b in route.Ir.Backends)
            {
                var share = total == 0 ? 0 : 100.0 * b.Weight / total;
                if (b.Cluster is null)
                {
                    Console.WriteLine($"backend   invalid ({b.InvalidReason}): {share:0.#}% of requests answer 500");
                    continue;
                }

                var cluster = table.Snapshot.Clusters.FirstOrDefault(c => c.Name == b.Cluster);
                var endpoints = cluster is null || cluster.Endpoints.IsEmpty
                    ? "no endpoints: answers 503"
                    : string.Join(", ", cluster.Endpoints.Select(e => $"{e.Address}:{e.Port}"));
                Console.WriteLine($"backend   {b.Cluster} weight {b.Weight} ({share:0.#}%) → {endpoints}");
            }

            return;
        }

        Console.WriteLine($"result    {explanation.Summary} → 404");
        foreach (var c in explanation.Candidates)
        {
            Console.WriteLine($"  route   {c.Route.DisplayName}, match {c.Route.Ir.MatchIndex} ({DescribeMatch(c.Route.Ir.Match)}): {string.Join("; ", c.Mismatches)}");
        }
    }

    private static string DescribeMatch(MatchIr m)
    {
        var parts = new List<string> { $"{m.Path.Type} {m.Path.Value}" };
        if (m.Method is not null)
        {
            parts.Add($"method {m.Method}");
        }

        parts.AddRange(m.Headers.Select(h => $"header {h.Name} {(h.Type == StringMatchType.Exact ? "=" : "~")} {h.Value}"));
        parts.AddRange(m.QueryParams.Select(q => $"query {q.Name} {(q.Type == StringMatchType.Exact ? "=" : "~")} {q.Value}"));
        return string.Join(", ", parts);
    }

    private static async Task<Dictionary<string, GatewaySnapshotIr>> FetchAsync(string server, CancellationToken ct)
    {
        using var client = new AdminClient(server);
        var body = await client.GetAsync("api/v1/config", ct).ConfigureAwait(false);
        var result = new Dictionary<string, GatewaySnapshotIr>(StringComparer.Ordinal);
        foreach (var (key, value) in body.AsObject())
        {
            result[key] = IrJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(value!["snapshot"]!.ToJsonString()));
        }

        return result;
    }

    private static Dictionary<string, GatewaySnapshotIr> TranslateFiles(string[] paths)
    {
        var decoded = YamlCodec.DecodePaths(ApplyCommand.ExpandFiles(paths));
        foreach (var d in decoded.Diagnostics.Where(d => d.Severity != Api.Model.DiagnosticSeverity.Info))
        {
            Console.Error.WriteLine(d.ToString());
        }

        var snapshot = Api.Model.ResourceSnapshot.From(
            decoded.Resources.Select(r => r.Object).Concat(AnalyzeCommand.BuiltInClassIfMissing(decoded.Resources.Select(r => r.Object))));
        var result = Translator.Translate(snapshot, new TranslatorOptions { PortOffset = 8000 });
        var all = result.Gateways.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (ns, sidecar) in result.Sidecars)
        {
            all[SidecarPrefix + ns] = sidecar;
        }

        return all;
    }
}
