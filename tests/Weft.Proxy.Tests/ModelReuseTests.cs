using Weft.Ir;
using Weft.Proxy.Model;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>
/// A new snapshot reuses what the served model compiled when the IR is the same instance (routes)
/// or says the same (clusters), and never serves a stale piece: a route whose cluster changed is
/// compiled again against the new cluster.
/// </summary>
public sealed class ModelReuseTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new(new GatewayProxyOptions { DrainTimeout = TimeSpan.FromSeconds(5) });
    private readonly HttpClient _client = Http.Client();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public void Unchanged_routes_and_clusters_keep_their_compiled_instances()
    {
        var kept = Route("kept", Prefix("/kept"), To("a"));
        var first = Gateway([Http(1, Listener("http", null, Host("*", kept)))], Cluster("a", 1));
        var served = ProxyModel.Compile(first, "v1", [])!;

        // A new route, the same instance of "kept", and cluster "a" rebuilt with the same content.
        var second = Gateway(
            [Http(1, Listener("http", null, Host("*", Route("new", Prefix("/new"), To("a")), kept)))],
            Cluster("a", 1));
        var next = ProxyModel.Compile(second, "v2", [], served)!;

        var keptBefore = served.Routes.Single(r => r.Route.Ir.RouteName == "kept");
        var keptAfter = next.Routes.Single(r => r.Route.Ir.RouteName == "kept");
        Assert.Same(keptBefore, keptAfter);
        Assert.Same(keptBefore.Backends[0].Cluster, next.Routes.Single(r => r.Route.Ir.RouteName == "new").Backends[0].Cluster);
    }

    [Fact]
    public void A_route_whose_cluster_changed_is_compiled_again_against_the_new_cluster()
    {
        var route = Route("r", To("a"));
        var served = ProxyModel.Compile(Gateway([Http(1, Listener("http", null, Host("*", route)))], Cluster("a", 1)), "v1", [])!;
        var next = ProxyModel.Compile(Gateway([Http(1, Listener("http", null, Host("*", route)))], Cluster("a", 2)), "v2", [], served)!;

        Assert.NotSame(served.Routes[0], next.Routes[0]);
        Assert.Equal(["http://127.0.0.1:2/"], next.Routes[0].Backends[0].Cluster!.Destinations);
    }

    [Fact]
    public async Task Traffic_follows_an_endpoint_change_under_the_same_route_instance()
    {
        var port = FreePort.Next();
        var route = Route("r", To("c"));
        ClusterIr Pointing(Upstream upstream) => Cluster(upstream) with { Name = "c" };

        Assert.True((await _proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, Host("*", route)))], Pointing(upstreams.A)), "v1", CancellationToken.None)).Succeeded);
        Assert.Equal("a", (await _client.SendAsync(port, "h", "/")).Echo!.Name);

        Assert.True((await _proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, Host("*", route)))], Pointing(upstreams.B)), "v2", CancellationToken.None)).Succeeded);
        Assert.Equal("b", (await _client.SendAsync(port, "h", "/")).Echo!.Name);
    }

    [Fact]
    public async Task A_reused_route_with_an_invalid_regex_elsewhere_still_rejects_the_snapshot()
    {
        var port = FreePort.Next();
        var good = Route("good", new MatchIr { Path = new PathMatchIr { Type = PathMatchType.RegularExpression, Value = "/items/[0-9]+" } }, To("a"));
        Assert.True((await _proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, Host("*", good)))], Cluster(upstreams.A) with { Name = "a" }), "v1", CancellationToken.None)).Succeeded);

        var broken = Route("broken", new MatchIr { Path = new PathMatchIr { Type = PathMatchType.RegularExpression, Value = "(" } }, To("a"));
        var result = await _proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, Host("*", good, broken)))], Cluster(upstreams.A) with { Name = "a" }), "v2", CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.Contains("route default/broken rule 0 path: invalid regular expression", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Contains("default/good", StringComparison.Ordinal));
        Assert.Equal("v1", _proxy.ServedVersion);
    }
}
