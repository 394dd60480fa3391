using Weft.ControlPlane.Distribution;
using Weft.Ir;

namespace Weft.ControlPlane.Tests;

public sealed class SnapshotCacheTests
{
    private static GatewaySnapshotIr Snapshot(int port) => new()
    {
        GatewayNamespace = "ns",
        GatewayName = "gw",
        Ports = [new PortIr { Port = port, BindAddress = "127.0.0.1", BindPort = port + 8000, Protocol = ListenerProtocol.Http }],
    };

    [Fact]
    public async Task Version_changes_only_when_content_does_and_waiters_are_woken()
    {
        var cache = new SnapshotCache();
        Assert.Equal("0", cache.Get("ns/gw").Version);

        var signal = cache.NextChange;
        cache.Update(new Dictionary<string, GatewaySnapshotIr> { ["ns/gw"] = Snapshot(80) });
        await signal.WaitAsync(TimeSpan.FromSeconds(5));
        var v1 = cache.Get("ns/gw").Version;

        var unchanged = cache.NextChange;
        cache.Update(new Dictionary<string, GatewaySnapshotIr> { ["ns/gw"] = Snapshot(80) });
        Assert.Equal(v1, cache.Get("ns/gw").Version);
        Assert.False(unchanged.IsCompleted);

        cache.Update(new Dictionary<string, GatewaySnapshotIr> { ["ns/gw"] = Snapshot(81) });
        Assert.NotEqual(v1, cache.Get("ns/gw").Version);
        Assert.True(unchanged.IsCompleted);
    }

    [Fact]
    public void A_gateway_that_goes_away_gets_an_empty_snapshot()
    {
        var cache = new SnapshotCache();
        cache.Update(new Dictionary<string, GatewaySnapshotIr> { ["ns/gw"] = Snapshot(80) });
        cache.Update(new Dictionary<string, GatewaySnapshotIr>());
        var entry = cache.Get("ns/gw");
        Assert.Empty(entry.Ir.Ports);
        Assert.Equal("gw", entry.Ir.GatewayName);
    }
}
