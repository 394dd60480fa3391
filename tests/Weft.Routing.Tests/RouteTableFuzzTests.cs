using System.Text.RegularExpressions;
using CsCheck;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>
/// Hardening (#13, item 10): generated route sets compile, and the compiled table answers every generated
/// request as a naive reference does — the spec's host precedence (exact, longest wildcard, catch-all), then the
/// first route in IR (precedence) order whose conditions all hold, each condition written from the spec.
/// </summary>
public sealed class RouteTableFuzzTests
{
    [Fact]
    public void Compiled_lookup_equals_the_reference_lookup()
    {
        var matched = 0;
        Gen.Select(RouteGen.Snapshot, RouteGen.Request.Array[1, 20]).Sample((snapshot, requests) =>
        {
            Assert.Empty(snapshot.Validate());
            var table = RouteTable.Compile(snapshot);
            var hosts = snapshot.Ports[0].Listeners[0].VirtualHosts;
            foreach (var request in requests)
            {
                var expected = ReferenceLookup(hosts, request);
                var actual = table.Lookup(80, request).Route?.Ir;
                Assert.True(ReferenceEquals(expected, actual),
                    $"{request.Method} {request.Host}{request.Path} h={string.Join(',', request.Headers)} q={string.Join(',', request.Query)}: expected {expected?.RouteName ?? "none"}, got {actual?.RouteName ?? "none"}");
                matched += actual is null ? 0 : 1;
            }
        }, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(800), threads: FuzzSettings.Threads);

        // The pools are small so that lookups often find a route: a run where none did would test little.
        Assert.True(matched > 100, $"only {matched} lookups matched a route");
    }

    private static RouteIr? ReferenceLookup(IReadOnlyList<VirtualHostIr> hosts, RouteRequest request)
    {
        var host = request.Host;
        if (host.LastIndexOf(':') is var colon and >= 0)
        {
            host = host[..colon];
        }

        host = host.TrimEnd('.').ToLowerInvariant();
        var vhost = hosts.FirstOrDefault(h => !h.Hostname.StartsWith('*') && h.Hostname.Equals(host, StringComparison.OrdinalIgnoreCase))
            ?? hosts.Where(h => h.Hostname.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(h.Hostname[1..], StringComparison.OrdinalIgnoreCase) && host.Length > h.Hostname.Length - 1)
                .OrderByDescending(h => h.Hostname.Length).FirstOrDefault()
            ?? hosts.FirstOrDefault(h => h.Hostname == "*");
        return vhost?.Routes.FirstOrDefault(r => Matches(r.Match, request));
    }

    private static bool Matches(MatchIr match, RouteRequest request) =>
        (match.Method is null || match.Method == request.Method)
        && PathMatches(match.Path, request.Path)
        && match.Headers.All(h => ValueMatches(h, request.Headers.Where(x => x.Key.Equals(h.Name, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value).FirstOrDefault()))
        && match.QueryParams.All(q => ValueMatches(q, request.Query.Where(x => x.Key == q.Name).Select(x => x.Value).FirstOrDefault()));

    private static bool PathMatches(PathMatchIr match, string path)
    {
        switch (match.Type)
        {
            case PathMatchType.Exact:
                return path == match.Value;
            case PathMatchType.PathPrefix:
                // The spec: element-wise, a trailing slash in the prefix ignored.
                var prefix = Segments(match.Value);
                var segments = Segments(path, trimEnd: false);
                return segments.Length >= prefix.Length && prefix.SequenceEqual(segments[..prefix.Length]);
            default:
                return FullMatch(match.Value, path);
        }

        static string[] Segments(string value, bool trimEnd = true)
        {
            var parts = value.Split('/');
            var n = parts.Length;
            while (trimEnd && n > 1 && parts[n - 1].Length == 0)
            {
                n--;
            }

            return parts[..n];
        }
    }

    private static bool ValueMatches(StringMatchIr match, string? value) =>
        value is not null && (match.Type == StringMatchType.Exact ? value == match.Value : FullMatch(match.Value, value));

    // The pools' patterns mean the same in RE2 and in .NET: the backtracking engine is the reference here.
    private static bool FullMatch(string pattern, string value) =>
        Regex.IsMatch(value, $"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant);
}
