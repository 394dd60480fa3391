using System.Net;
using System.Net.Sockets;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class LifecycleTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new(new GatewayProxyOptions { DrainTimeout = TimeSpan.FromSeconds(5) });
    private readonly HttpClient _client = Http.Client();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    private GatewaySnapshotIr To(string cluster, params int[] ports) => Gateway(
        ports.Select(p => Http(p, Listener("http", null, Host("*", Route("r", Snap.To(cluster)))))),
        Cluster(upstreams.A),
        Cluster(upstreams.B));

    [Fact]
    public async Task Swapping_snapshots_under_load_drops_nothing()
    {
        var port = FreePort.Next();
        Assert.True((await _proxy.ApplyAsync(To("a", port), "v0", CancellationToken.None)).Succeeded);

        using var stop = new CancellationTokenSource();
        var served = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failures = 0;
        var requests = 0;
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, echo, _) = await _client.SendAsync(port, "h", "/");
                    Interlocked.Increment(ref requests);
                    if (status != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    else
                    {
                        served.AddOrUpdate(echo!.Name, 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var i = 1; i <= 40; i++)
        {
            var result = await _proxy.ApplyAsync(To(i % 2 == 0 ? "a" : "b", port), $"v{i}", CancellationToken.None);
            Assert.True(result.Succeeded, result.Describe());
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Equal(0, failures);
        Assert.True(requests > 100, $"only {requests} requests ran");
        Assert.True(served.ContainsKey("a") && served.ContainsKey("b"));
        Assert.Equal("v40", _proxy.ServedVersion);
    }

    [Fact]
    public async Task Invalid_snapshot_is_rejected_and_the_old_one_keeps_serving()
    {
        var port = FreePort.Next();
        Assert.True((await _proxy.ApplyAsync(To("a", port), "good", CancellationToken.None)).Succeeded);

        var bad = Gateway(
            [Http(port, Listener("http", null, Host("*", Route("broken", new MatchIr { Path = new PathMatchIr { Type = PathMatchType.RegularExpression, Value = "(" } }, Snap.To("b")))))],
            Cluster(upstreams.B));
        var result = await _proxy.ApplyAsync(bad, "bad", CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.Contains("route default/broken rule 0 path: invalid regular expression", StringComparison.Ordinal));
        Assert.Equal("good", result.ServedVersion);
        Assert.Equal("good", _proxy.ServedVersion);
        Assert.Equal("a", (await _client.SendAsync(port, "h", "/")).Echo!.Name);
    }

    [Fact]
    public async Task Undefined_cluster_is_rejected()
    {
        var port = FreePort.Next();
        var snapshot = Gateway(
            [Http(port, Listener("http", null, Host("*", Route("r", Snap.To("nowhere")))))],
            Cluster(upstreams.A));

        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Null(_proxy.ServedVersion);
        Assert.Empty(_proxy.BoundPorts);
    }

    [Fact]
    public async Task Filter_the_proxy_cannot_apply_is_rejected_not_ignored()
    {
        var port = FreePort.Next();
        var snapshot = Gateway(
            [Http(port, Listener("http", null, Host("*", Route("r", Snap.To("a")) with { Filters = [new FutureFilterIr()] })))],
            Cluster(upstreams.A));

        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("route default/r rule 0: unsupported filter FutureFilterIr", Assert.Single(result.Errors));
    }

    private sealed record FutureFilterIr : FilterIr;

    [Fact]
    public async Task Removing_a_port_stops_listening_and_adding_one_starts()
    {
        var (first, second) = (FreePort.Next(), FreePort.Next());
        Assert.True((await _proxy.ApplyAsync(To("a", first, second), CancellationToken.None)).Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(second, "h", "/")).Status);

        Assert.True((await _proxy.ApplyAsync(To("b", first), CancellationToken.None)).Succeeded);

        Assert.Equal("b", (await _client.SendAsync(first, "h", "/")).Echo!.Name);
        Assert.Equal([first], _proxy.BoundPorts.Select(p => p.Port));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, second));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_and_the_others_serve()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var free = FreePort.Next();

        var result = await _proxy.ApplyAsync(To("a", taken, free), "v1", CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.False(result.Succeeded);
        var failure = Assert.Single(result.BindFailures);
        Assert.Equal(("127.0.0.1", taken), (failure.Address, failure.Port));
        Assert.Equal("a", (await _client.SendAsync(free, "h", "/")).Echo!.Name);
        Assert.Equal([free], _proxy.BoundPorts.Select(p => p.Port));

        // Once the port is free again, the next snapshot binds it.
        squatter.Stop();
        var retry = await _proxy.ApplyAsync(To("b", taken, free), "v2", CancellationToken.None);
        Assert.True(retry.Succeeded, retry.Describe());
        Assert.Equal("b", (await _client.SendAsync(taken, "h", "/")).Echo!.Name);
    }

    [Fact]
    public async Task In_flight_requests_finish_when_their_port_is_removed()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await Upstream.StartAsync("slow", beforeResponse: async () =>
        {
            arrived.TrySetResult();
            await release.Task;
        });
        var port = FreePort.Next();
        var snapshot = Gateway([Http(port, Listener("http", null, Host("*", Route("r", Snap.To("slow")))))], Cluster(slow));
        Assert.True((await _proxy.ApplyAsync(snapshot, CancellationToken.None)).Succeeded);

        var inFlight = _client.SendAsync(port, "h", "/");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Removing the port drains it: the apply waits for the request, so release it meanwhile.
        var removal = _proxy.ApplyAsync(Gateway([], Cluster(slow)), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(removal.IsCompleted);
        release.TrySetResult();

        Assert.True((await removal).Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await inFlight).Status);
        Assert.Empty(_proxy.BoundPorts);
    }
}
