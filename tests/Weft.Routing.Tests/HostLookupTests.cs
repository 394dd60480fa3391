using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

public sealed class HostLookupTests
{
    private static readonly RouteTable Table = RouteTable.Compile(Snapshot(
        Port(
            80,
            Listener("exact", "foo.example.com", Host("foo.example.com", Route("exact-route"))),
            Listener("wild-long", "*.a.example.com", Host("*.a.example.com", Route("wild-long-route"))),
            Listener("wild", "*.example.com", Host("*", Route("wild-route"))),
            Listener("any", null,
                Host("bar.test", Route("bar-route")),
                Host("*.test", Route("star-test-route")),
                Host("*", Route("any-route")))),
        Port(
            8080,
            Listener("only", "only.example.com", Host("only.example.com", Route("only-route"))))));

    [Theory]
    [InlineData("foo.example.com", "exact", "exact-route")]
    [InlineData("FOO.Example.COM", "exact", "exact-route")]
    [InlineData("foo.example.com:80", "exact", "exact-route")]
    [InlineData("foo.example.com.", "exact", "exact-route")]
    [InlineData("x.a.example.com", "wild-long", "wild-long-route")]
    [InlineData("bar.example.com", "wild", "wild-route")]
    [InlineData("a.b.example.com", "wild", "wild-route")]
    [InlineData("example.com", "any", "any-route")]
    [InlineData("a.example.com", "wild", "wild-route")]
    [InlineData("bar.test", "any", "bar-route")]
    [InlineData("x.bar.test", "any", "star-test-route")]
    [InlineData("test", "any", "any-route")]
    [InlineData("127.0.0.1:80", "any", "any-route")]
    [InlineData("[::1]:80", "any", "any-route")]
    [InlineData("", "any", "any-route")]
    public void Picks_listener_and_virtual_host_by_specificity(string host, string listener, string route)
    {
        var result = Table.Lookup(80, Get(host, "/"));

        Assert.True(result.IsMatch, result.Describe());
        Assert.Equal(listener, result.Listener!.Name);
        Assert.Equal(route, result.Route!.Ir.RouteName);
    }

    [Fact]
    public void No_port()
    {
        var result = Table.Lookup(9999, Get("foo.example.com", "/"));

        Assert.Equal(RouteLookupStatus.NoPort, result.Status);
        Assert.Equal("no listener on port 9999 (the gateway's ports are 80, 8080)", result.Describe());
    }

    [Fact]
    public void No_listener_names_the_listener_hostnames()
    {
        var result = Table.Lookup(8080, Get("Other.Example.com:8080", "/"));

        Assert.Equal(RouteLookupStatus.NoListener, result.Status);
        Assert.Equal("no listener on port 8080 for host other.example.com (listener hostnames are only: only.example.com)", result.Describe());
    }

    [Fact]
    public void Wildcard_listener_does_not_fall_through_to_a_less_specific_listener()
    {
        // "x.a.example.com" belongs to listener wild-long, whose only host is "*.a.example.com";
        // "y.example.com" belongs to "wild" - but "a.example.com" itself is not claimed by "*.a.example.com".
        var table = RouteTable.Compile(Snapshot(Port(
            80,
            Listener("wild-long", "*.a.example.com", Host("exact.a.example.com", Route("r1"))),
            Listener("any", null, Host("*", Route("r2"))))));

        var result = table.Lookup(80, Get("x.a.example.com", "/"));

        Assert.Equal(RouteLookupStatus.NoVirtualHost, result.Status);
        Assert.Equal("wild-long", result.Listener!.Name);
        Assert.Equal("listener wild-long has no virtual host for x.a.example.com (its hosts are exact.a.example.com)", result.Describe());
    }

    [Fact]
    public void Wildcard_virtual_host_requires_a_label_before_the_suffix()
    {
        var table = RouteTable.Compile(Snapshot(Port(80, Listener("l", null, Host("*.example.com", Route("r"))))));

        Assert.True(table.Lookup(80, Get("a.example.com", "/")).IsMatch);
        Assert.True(table.Lookup(80, Get("a.b.example.com", "/")).IsMatch);
        Assert.Equal(RouteLookupStatus.NoVirtualHost, table.Lookup(80, Get("example.com", "/")).Status);
        Assert.Equal(RouteLookupStatus.NoVirtualHost, table.Lookup(80, Get("xexample.com", "/")).Status);
    }

    [Fact]
    public void Listener_lookup_is_exposed_for_sni()
    {
        var port = Table.FindPort(80)!;

        Assert.Equal("exact", port.FindListener("foo.example.com")!.Name);
        Assert.Equal("wild", port.FindListener("x.example.com")!.Name);
    }
}
