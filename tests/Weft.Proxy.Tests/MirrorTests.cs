using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>RequestMirror over real sockets: the copy arrives, and nothing about it reaches the request itself.</summary>
public sealed class MirrorTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private static readonly TimeSpan SlowShadowDelay = TimeSpan.FromSeconds(3);

    private readonly GatewayProxy _proxy = new();
    private readonly HttpClient _client = Http.Client();
    private readonly int _port = FreePort.Next();
    private readonly ConcurrentQueue<Echo> _mirrored = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private Upstream _shadow = null!;
    private Upstream _slowShadow = null!;

    public async Task InitializeAsync()
    {
        _shadow = await Upstream.StartAsync("shadow", observe: echo =>
        {
            _mirrored.Enqueue(echo);
            _arrived.Release();
        });
        _slowShadow = await Upstream.StartAsync("slow-shadow", beforeResponse: () => Task.Delay(SlowShadowDelay));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _shadow.DisposeAsync();
        await _slowShadow.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task ServeAsync(params RouteIr[] routes)
    {
        var snapshot = Gateway(
            [Http(_port, Listener("http", null, Host("*", routes)))],
            Cluster(upstreams.A), Cluster(_shadow), Cluster(_slowShadow), Cluster("refused", FreePort.Next()));
        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    private static RouteIr Mirrored(string name, params FilterIr[] filters) =>
        Route(name, Prefix("/" + name), To("a")) with { Filters = [.. filters] };

    private static RequestMirrorIr MirrorTo(string cluster, int numerator = 1, int denominator = 1) =>
        new() { Cluster = cluster, Numerator = numerator, Denominator = denominator };

    [Fact]
    public async Task The_copy_carries_the_route_header_changes_and_the_primary_answers()
    {
        await ServeAsync(Mirrored("m",
            new RequestHeaderModifierIr(new HeaderModifierIr { Set = [new HeaderValueIr("x-set", "1")], Remove = ["x-remove"] }),
            MirrorTo("shadow")));

        var (status, echo, _) = await _client.SendAsync(_port, "example.com", "/m/path?q=1", ("x-remove", "gone"), ("x-client", "c"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("a", echo!.Name);
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(5)), "the mirror never arrived");
        Assert.True(_mirrored.TryDequeue(out var copy));
        Assert.Equal("GET", copy.Method);
        Assert.Equal("/m/path", copy.Path);
        Assert.Equal("?q=1", copy.Query);
        Assert.Equal("example.com", copy.Host);
        Assert.Equal("1", copy.Headers["x-set"]);
        Assert.Equal("c", copy.Headers["x-client"]);
        Assert.False(copy.Headers.ContainsKey("x-remove"));
    }

    [Fact]
    public async Task Every_mirror_of_a_rule_gets_a_copy()
    {
        await ServeAsync(Mirrored("two", MirrorTo("shadow"), MirrorTo("shadow")));

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/two")).Status);

        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_failing_or_slow_mirror_neither_fails_nor_delays_the_request()
    {
        await ServeAsync(
            Mirrored("refused", MirrorTo("refused")),
            Mirrored("slow", MirrorTo("slow-shadow")));

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/refused")).Status);

        // A request that waited for its mirror would take at least the shadow's delay; the first
        // request above has already paid for connection set-up and JIT.
        var watch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/slow")).Status);
        Assert.True(watch.Elapsed < SlowShadowDelay, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_fraction_of_requests_is_mirrored()
    {
        await ServeAsync(Mirrored("half", MirrorTo("shadow", 25, 50)), Mirrored("never", MirrorTo("shadow", 0, 100)));

        const int Requests = 400;
        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/half")).Status);
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/never")).Status);
        }

        // Mirrors are asynchronous: wait until the count settles.
        var settled = -1;
        while (settled != _mirrored.Count)
        {
            settled = _mirrored.Count;
            await Task.Delay(200);
        }

        Assert.DoesNotContain(_mirrored, e => e.Path == "/never");
        Assert.InRange(_mirrored.Count(e => e.Path == "/half"), Requests / 2 - 60, Requests / 2 + 60);
    }

    [Fact]
    public async Task A_request_with_a_body_reaches_its_backend_and_is_not_mirrored()
    {
        await ServeAsync(Mirrored("body", MirrorTo("shadow")), Mirrored("nobody", MirrorTo("shadow")));

        using var request = Http.Request(_port, "h", "/body");
        request.Method = HttpMethod.Post;
        request.Content = new StringContent("payload");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // A bodyless request after it is mirrored; the POST before it was not.
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/nobody")).Status);
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(200);
        Assert.Equal(["/nobody"], _mirrored.Select(e => e.Path));
    }

    [Fact]
    public async Task A_snapshot_with_a_mirror_to_an_unknown_cluster_is_refused()
    {
        var snapshot = Gateway([Http(_port, Listener("http", null, Host("*", Mirrored("m", MirrorTo("nowhere")))))], Cluster(upstreams.A));

        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("nowhere", StringComparison.Ordinal));
    }
}
