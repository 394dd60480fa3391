using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>
/// The control plane's change check: two snapshots are the same when they say the same thing,
/// whether their pieces are the same instances or were built twice.
/// </summary>
public sealed class IrContentTests
{
    private static GatewaySnapshotIr Build(int endpoint = 1, string path = "/a", string hostname = "*", int bindPort = 8080) => Gateway(
        [Http(bindPort, Listener("http", null, Host(hostname, Route("r", Prefix(path), To("c")))))],
        Cluster("c", endpoint));

    [Fact]
    public void Snapshots_built_twice_from_the_same_input_are_the_same()
    {
        Assert.True(IrContent.Same(Build(), Build()));
    }

    [Fact]
    public void Shared_route_instances_are_the_same_without_being_compared_field_by_field()
    {
        var route = Route("r", Prefix("/a"), To("c"));
        var a = Gateway([Http(8080, Listener("http", null, Host("*", route)))], Cluster("c", 1));
        var b = Gateway([Http(8080, Listener("http", null, Host("*", route)))], Cluster("c", 1));
        Assert.True(IrContent.Same(a, b));
    }

    [Theory]
    [InlineData("endpoint")]
    [InlineData("path")]
    [InlineData("hostname")]
    [InlineData("bind port")]
    [InlineData("gateway name")]
    [InlineData("extra route")]
    [InlineData("extra cluster")]
    public void Any_difference_is_a_change(string what)
    {
        var changed = what switch
        {
            "endpoint" => Build(endpoint: 2),
            "path" => Build(path: "/b"),
            "hostname" => Build(hostname: "x.example.com"),
            "bind port" => Build(bindPort: 8081),
            "gateway name" => Build() with { GatewayName = "other" },
            "extra route" => Gateway([Http(8080, Listener("http", null, Host("*", Route("r", Prefix("/a"), To("c")), Route("s", To("c")))))], Cluster("c", 1)),
            "extra cluster" => Build() with { Clusters = [Cluster("c", 1), Cluster("d", 1)] },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        Assert.False(IrContent.Same(Build(), changed));
        Assert.False(IrContent.Same(changed, Build()));
    }
}
