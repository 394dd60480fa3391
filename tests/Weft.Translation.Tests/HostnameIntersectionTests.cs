namespace Weft.Translation.Tests;

public sealed class HostnameIntersectionTests
{
    [Theory]
    // exact vs exact
    [InlineData("foo.example.com", "foo.example.com", "foo.example.com")]
    [InlineData("foo.example.com", "bar.example.com", null)]
    [InlineData("Foo.Example.com", "foo.example.COM", "foo.example.com")]
    // wildcard listener, exact route
    [InlineData("*.example.com", "foo.example.com", "foo.example.com")]
    [InlineData("*.example.com", "a.b.example.com", "a.b.example.com")]
    [InlineData("*.example.com", "example.com", null)]
    [InlineData("*.example.com", "fooexample.com", null)]
    // exact listener, wildcard route
    [InlineData("foo.example.com", "*.example.com", "foo.example.com")]
    [InlineData("example.com", "*.example.com", null)]
    // both wildcards: the more specific one
    [InlineData("*.example.com", "*.example.com", "*.example.com")]
    [InlineData("*.example.com", "*.foo.example.com", "*.foo.example.com")]
    [InlineData("*.foo.example.com", "*.example.com", "*.foo.example.com")]
    [InlineData("*.foo.com", "*.bar.com", null)]
    [InlineData("*.xexample.com", "*.example.com", null)]
    public void Pairs(string a, string b, string? expected) =>
        Assert.Equal(expected, HostnameIntersection.Intersect(a, b));

    [Fact]
    public void NoHostnameOnEitherSideIsAny() =>
        Assert.Equal(["*"], HostnameIntersection.ForRoute(null, []));

    [Fact]
    public void NoRouteHostnamesTakesTheListeners() =>
        Assert.Equal(["*.example.com"], HostnameIntersection.ForRoute("*.example.com", null));

    [Fact]
    public void NoListenerHostnameTakesTheRoutes() =>
        Assert.Equal(["a.com", "*.b.com"], HostnameIntersection.ForRoute(null, ["A.com", "*.b.com", "a.com"]));

    [Fact]
    public void OnlyIntersectingRouteHostnamesRemain() =>
        Assert.Equal(["foo.example.com", "*.bar.example.com"],
            HostnameIntersection.ForRoute("*.example.com", ["foo.example.com", "other.org", "*.bar.example.com", "example.com"]));

    [Fact]
    public void NoIntersectionIsEmpty() =>
        Assert.Empty(HostnameIntersection.ForRoute("foo.example.com", ["bar.example.com", "*.org"]));

    [Fact]
    public void SpecificityOrder()
    {
        string?[] hosts = [null, "*.example.com", "b.example.com", "*.foo.example.com", "a.example.com"];
        var sorted = hosts.Order(Comparer<string?>.Create(HostnameIntersection.CompareSpecificity)).ToArray();
        Assert.Equal(new string?[] { "a.example.com", "b.example.com", "*.foo.example.com", "*.example.com", null }, sorted);
    }
}
