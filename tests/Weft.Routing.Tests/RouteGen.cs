using System.Collections.Immutable;
using CsCheck;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>Generated IR route sets and requests over small pools, so that requests often hit routes and hosts.</summary>
internal static class RouteGen
{
    public static readonly string[] Paths = ["/", "/a", "/a/", "/a/b", "/ab", "/b", "/a/b/c", "/api", "/api/v1", "/a//b"];
    public static readonly string[] PathRegexes = ["/a/[0-9]+", "/(a|b)/.*", "/[a-z]+", ".*", "/a.*", "/api(/v[0-9])?", "(?i)/A.*", "/[^/]+/b", "/a(/.*)?", "(a|a)*b"];
    public static readonly string[] Values = ["v1", "v2", "premium", "", "V1"];
    public static readonly string[] ValueRegexes = ["v[0-9]", "(?i)v1", ".*", "p.*m", "v1|v2", "[^v].*"];
    public static readonly string[] Hostnames = ["*", "a.example.com", "*.example.com", "b.example.com", "*.b.example.com", "x.test", "*.test"];
    public static readonly string[] RequestHosts = ["a.example.com", "A.Example.COM", "a.example.com:8080", "a.example.com.", "zz.b.example.com", "b.example.com", "c.example.com", "x.test", "y.x.test", "other", "example.com"];
    public static readonly string[] RequestPaths = [.. Paths, "/a/12", "/b/x", "/API", "/abc", "/a/b/", "/x/b", "/api/v2", "/api/v12", "/aab", "/A/x"];

    private static readonly Gen<PathMatchIr> PathMatch = Gen.OneOf(
        Gen.OneOf(Paths).Select(v => new PathMatchIr { Type = PathMatchType.Exact, Value = v }),
        Gen.OneOf(Paths).Select(v => new PathMatchIr { Type = PathMatchType.PathPrefix, Value = v }),
        Gen.OneOf(PathRegexes).Select(v => new PathMatchIr { Type = PathMatchType.RegularExpression, Value = v }));

    private static Gen<StringMatchIr> StringMatch(string[] names) =>
        Gen.Select(Gen.OneOf(names), Gen.Bool, Gen.OneOf(Values), Gen.OneOf(ValueRegexes), (name, regex, value, pattern) =>
            new StringMatchIr { Name = name, Type = regex ? StringMatchType.RegularExpression : StringMatchType.Exact, Value = regex ? pattern : value });

    public static readonly Gen<MatchIr> Match =
        Gen.Select(PathMatch, StringMatch(["x-a", "x-b"]).Array[0, 2], StringMatch(["q", "r"]).Array[0, 2], Gen.OneOf<string?>(null, "GET", "POST"),
            (path, headers, query, method) => new MatchIr { Path = path, Headers = [.. headers], QueryParams = [.. query], Method = method });

    public static readonly Gen<GatewaySnapshotIr> Snapshot =
        Gen.Shuffle(Hostnames, 1, 4).SelectMany(hosts => Match.Array[0, 6].Array[hosts.Length].Select(routes =>
            Ir.Snapshot(Ir.Port(80, Ir.Listener("l", null, [.. hosts.Select((h, hi) => new VirtualHostIr
            {
                Hostname = h,
                Routes = [.. routes[hi].Select((m, ri) => Ir.Route($"h{hi}r{ri}", m, rule: ri))],
            })])))));

    public static readonly Gen<RouteRequest> Request =
        Gen.Select(Gen.OneOf(RequestHosts), Gen.OneOf(RequestPaths), Gen.OneOf("GET", "POST"),
            Gen.Select(Gen.OneOf("x-a", "X-B"), Gen.OneOf(Values)).Array[0, 2],
            Gen.Select(Gen.OneOf("q", "r"), Gen.OneOf(Values)).Array[0, 2],
            (host, path, method, headers, query) => new RouteRequest(method, host, path)
            {
                Headers = [.. headers.DistinctBy(h => h.Item1.ToLowerInvariant()).Select(h => KeyValuePair.Create(h.Item1, h.Item2))],
                Query = [.. query.DistinctBy(q => q.Item1).Select(q => KeyValuePair.Create(q.Item1, q.Item2))],
            });
}
