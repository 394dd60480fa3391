using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

public sealed class MatchTests
{
    private static RouteTable One(MatchIr match) =>
        RouteTable.Compile(Snapshot(Port(80, Listener("l", null, Host("*", Route("r", match))))));

    [Theory]
    [InlineData("/api", "/api", true)]
    [InlineData("/api", "/api/", true)]
    [InlineData("/api", "/api/x", true)]
    [InlineData("/api", "/apix", false)]
    [InlineData("/api", "/ap", false)]
    [InlineData("/api", "/API", false)]
    [InlineData("/api/", "/api", true)]
    [InlineData("/api/", "/api/x", true)]
    [InlineData("/api/", "/apix", false)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/anything/at/all", true)]
    [InlineData("/a/b", "/a/b/c", true)]
    [InlineData("/a/b", "/a/bc", false)]
    public void Path_prefix_is_element_wise(string prefix, string path, bool matches) =>
        Assert.Equal(matches, One(Prefix(prefix)).Lookup(80, Get("h", path)).IsMatch);

    [Theory]
    [InlineData("/api", "/api", true)]
    [InlineData("/api", "/api/", false)]
    [InlineData("/api", "/Api", false)]
    public void Exact_path(string value, string path, bool matches) =>
        Assert.Equal(matches, One(Exact(value)).Lookup(80, Get("h", path)).IsMatch);

    [Theory]
    [InlineData("/v[0-9]+/.*", "/v1/users", true)]
    [InlineData("/v[0-9]+/.*", "/x/v1/users", false)]
    [InlineData("/v[0-9]+", "/v1/users", false)]
    [InlineData("/v[0-9]+", "/v12", true)]
    [InlineData("/a$", "/a\n", false)]
    public void Regex_path_is_a_full_match(string pattern, string path, bool matches) =>
        Assert.Equal(matches, One(Regex(pattern)).Lookup(80, Get("h", path)).IsMatch);

    [Fact]
    public void Header_names_are_case_insensitive_values_case_sensitive()
    {
        var table = One(new MatchIr { Headers = [Header("X-User-Type", "premium"), Header("x-version", "v[12]", StringMatchType.RegularExpression)] });

        Assert.True(table.Lookup(80, Get("h", "/", ("x-user-type", "premium"), ("X-VERSION", "v2"))).IsMatch);
        Assert.False(table.Lookup(80, Get("h", "/", ("x-user-type", "Premium"), ("x-version", "v2"))).IsMatch);
        Assert.False(table.Lookup(80, Get("h", "/", ("x-user-type", "premium"), ("x-version", "v3"))).IsMatch);
        Assert.False(table.Lookup(80, Get("h", "/", ("x-user-type", "premium"))).IsMatch);
    }

    [Fact]
    public void Query_names_are_case_sensitive()
    {
        var table = One(new MatchIr
        {
            QueryParams = [Header("debug", "1"), Header("v", "[0-9]+", StringMatchType.RegularExpression)],
        });

        Assert.True(table.Lookup(80, RouteRequest.FromUrl("GET", new Uri("http://h/?debug=1&v=42"))).IsMatch);
        Assert.False(table.Lookup(80, RouteRequest.FromUrl("GET", new Uri("http://h/?Debug=1&v=42"))).IsMatch);
        Assert.False(table.Lookup(80, RouteRequest.FromUrl("GET", new Uri("http://h/?debug=1&v=x"))).IsMatch);

        // Only the first value of a repeated parameter counts.
        Assert.False(table.Lookup(80, RouteRequest.FromUrl("GET", new Uri("http://h/?debug=0&debug=1&v=1"))).IsMatch);
    }

    [Fact]
    public void Method()
    {
        var table = One(new MatchIr { Method = "POST" });

        Assert.True(table.Lookup(80, new RouteRequest("POST", "h", "/")).IsMatch);
        Assert.False(table.Lookup(80, new RouteRequest("GET", "h", "/")).IsMatch);
    }

    [Fact]
    public void First_match_in_ir_order_wins()
    {
        var table = RouteTable.Compile(Snapshot(Port(80, Listener("l", null, Host(
            "*",
            Route("exact", Exact("/api/v1")),
            Route("header", Prefix("/api") with { Headers = [Header("x-canary", "1")] }),
            Route("prefix", Prefix("/api")),
            Route("root", Prefix("/")))))));

        Assert.Equal("exact", table.Lookup(80, Get("h", "/api/v1", ("x-canary", "1"))).Route!.Ir.RouteName);
        Assert.Equal("header", table.Lookup(80, Get("h", "/api/v2", ("x-canary", "1"))).Route!.Ir.RouteName);
        Assert.Equal("prefix", table.Lookup(80, Get("h", "/api/v2")).Route!.Ir.RouteName);
        Assert.Equal("root", table.Lookup(80, Get("h", "/apix")).Route!.Ir.RouteName);
    }

    [Fact]
    public void Invalid_regex_fails_compilation_with_every_error()
    {
        var snapshot = Snapshot(Port(80, Listener("l", null, Host(
            "*",
            Route("a", Regex("(")),
            Route("b", new MatchIr { Headers = [Header("x", "[", StringMatchType.RegularExpression)] })))));

        var e = Assert.Throws<RouteTableException>(() => RouteTable.Compile(snapshot));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("route default/a rule 0 path: invalid regular expression", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("route default/b rule 0 header x: invalid regular expression", e.Errors[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api", "/api/x", "/v2", "/v2/x")]
    [InlineData("/api", "/api/x", "/", "/x")]
    [InlineData("/api", "/api", "/v2", "/v2")]
    [InlineData("/api", "/api", "/", "/")]
    [InlineData("/api/", "/api/x", "/v2/", "/v2/x")]
    [InlineData("/", "/x", "/v2", "/v2/x")]
    [InlineData("/api", "/api/", "/v2", "/v2/")]
    public void Replace_prefix(string prefix, string path, string replacement, string expected)
    {
        var result = One(Prefix(prefix)).Lookup(80, Get("h", path));

        Assert.Equal(expected, result.Route!.Matcher.Path.ReplacePrefix(path, replacement));
    }
}

public sealed class RequestDescriptionTests
{
    [Fact]
    public void From_url_splits_host_path_and_query()
    {
        var request = RouteRequest.FromUrl("get", new Uri("http://Example.com:8080/a%20b?x=1&y=two+words&x=2"), [KeyValuePair.Create("X-A", "1"), KeyValuePair.Create("x-a", "2")]);

        Assert.Equal("GET", request.Method);
        Assert.Equal("example.com:8080", request.Host);
        Assert.Equal("/a%20b", request.Path);
        Assert.Equal("1", request.GetQueryParameter("x"));
        Assert.Equal("two words", request.GetQueryParameter("y"));
        Assert.Equal("1,2", request.GetHeader("x-a"));
    }

    [Fact]
    public void Defaults_are_safe()
    {
        Assert.Null(default(RouteRequest).GetHeader("x"));
        Assert.False(default(RouteLookupResult).IsMatch);
        Assert.Equal("example.com", HostName.Display("Example.COM.:443"));
        Assert.Equal("[::1]", HostName.Display("[::1]:80"));
    }
}
