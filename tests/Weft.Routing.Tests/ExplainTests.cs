using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

public sealed class ExplainTests
{
    private static readonly RouteTable Table = RouteTable.Compile(Snapshot(Port(80, Listener("http", null, Host(
        "example.com",
        Route("premium", Prefix("/api") with { Headers = [Header("x-user-type", "premium")], Method = "GET" }),
        Route("search", Exact("/search") with { QueryParams = [Header("q", "[a-z]+", StringMatchType.RegularExpression)] }))))));

    [Fact]
    public void Explains_each_route_that_did_not_match()
    {
        var explanation = Table.Explain(80, new RouteRequest("POST", "example.com", "/api/x") { Headers = [KeyValuePair.Create("X-User-Type", "basic")] });

        Assert.Equal(RouteLookupStatus.NoRoute, explanation.Result.Status);
        Assert.Equal(
            new[] { "method POST is not GET", "header x-user-type: expected 'premium', got 'basic'" },
            explanation.Candidates[0].Mismatches.ToArray());
        Assert.Equal(
            new[] { "path /api/x does not match Exact /search", "query parameter q: expected to match '[a-z]+', missing" },
            explanation.Candidates[1].Mismatches.ToArray());
        Assert.Equal(
            "no route matched: path /api/x matched 1 of the 2 routes of host example.com, but their method, header or query conditions did not hold",
            explanation.Summary);
    }

    [Fact]
    public void Says_when_no_path_matched()
    {
        var explanation = Table.Explain(80, Get("example.com", "/x"));

        Assert.Equal("no route matched: path /x did not match any of the 2 routes of host example.com", explanation.Summary);
        Assert.Equal("header x-user-type: expected 'premium', missing", explanation.Candidates[0].Mismatches[1]);
    }

    [Fact]
    public void Marks_the_chosen_route()
    {
        var explanation = Table.Explain(80, RouteRequest.FromUrl("GET", new Uri("http://example.com/search?q=weft")));

        Assert.True(explanation.Result.IsMatch);
        Assert.False(explanation.Candidates[0].Chosen);
        Assert.True(explanation.Candidates[1].Chosen);
        Assert.Empty(explanation.Candidates[1].Mismatches);
        Assert.Equal("port 80 → listener http → host example.com → route default/search rule 0", explanation.Summary);
    }

    [Fact]
    public void Stops_at_the_host_when_no_virtual_host()
    {
        var explanation = Table.Explain(80, Get("other.com", "/"));

        Assert.Empty(explanation.Candidates);
        Assert.Equal("listener http has no virtual host for other.com (its hosts are example.com)", explanation.Summary);
    }
}
