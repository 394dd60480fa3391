using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>Route timeouts (request, backendRequest) over real sockets: 504 with flag UT, and nothing else cut short.</summary>
public sealed class TimeoutTests : IAsyncLifetime
{
    // Far above the 200 ms timeouts under test, so a 504 that arrives late on a loaded machine (first
    // connection, JIT) is still clearly the proxy's and not the upstream's answer.
    private static readonly TimeSpan UpstreamDelay = TimeSpan.FromSeconds(3);

    // The timeout also bounds the upgrade handshake itself, which on a cold CI machine (first WebSocket
    // accept in the process, JIT) has taken over 300 ms; 1.5 s keeps the handshake clear of it.
    private static readonly TimeSpan WebSocketRouteTimeout = TimeSpan.FromSeconds(1.5);

    private readonly GatewayProxy _proxy = new();
    private readonly HttpClient _client = Http.Client();
    private readonly int _port = FreePort.Next();
    private Upstream _slow = null!;

    public async Task InitializeAsync() =>
        _slow = await Upstream.StartAsync("slow", beforeResponse: () => Task.Delay(UpstreamDelay));

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _slow.DisposeAsync();
    }

    private async Task ServeAsync(params RouteIr[] routes)
    {
        var result = await _proxy.ApplyAsync(Gateway([Http(_port, Listener("http", null, Host("*", routes)))], Cluster(_slow)), CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    private static RouteIr Timed(string name, TimeoutsIr? timeouts) => Route(name, Prefix("/" + name), To("slow")) with { Timeouts = timeouts };

    [Fact]
    public async Task Default_route_timeout_applies_to_routes_without_one_and_a_route_timeout_wins()
    {
        var port = FreePort.Next();
        await using var proxy = new GatewayProxy(new GatewayProxyOptions { DefaultRouteTimeout = TimeSpan.FromMilliseconds(200) });
        var result = await proxy.ApplyAsync(
            Gateway([Http(port, Listener("http", null, Host("*", Timed("none", null), Timed("own", new TimeoutsIr { Request = TimeSpan.FromSeconds(10) }))))], Cluster(_slow)),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());

        var (status, _, response) = await _client.SendAsync(port, "h", "/none", ("x-weft-debug", "1"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("UT", response.Header("x-weft-flags"));
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(port, "h", "/own")).Status);
    }

    [Fact]
    public async Task Request_timeout_answers_504_UT_before_the_upstream_does()
    {
        await ServeAsync(Timed("request", new TimeoutsIr { Request = TimeSpan.FromMilliseconds(200) }));

        var watch = Stopwatch.StartNew();
        var (status, _, response) = await _client.SendAsync(_port, "h", "/request", ("x-weft-debug", "1"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("UT", response.Header("x-weft-flags"));
        Assert.True(watch.Elapsed < UpstreamDelay, $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Backend_request_timeout_answers_504_and_the_smaller_timeout_wins()
    {
        await ServeAsync(
            Timed("backend", new TimeoutsIr { BackendRequest = TimeSpan.FromMilliseconds(200) }),
            Timed("both", new TimeoutsIr { Request = TimeSpan.FromSeconds(5), BackendRequest = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(HttpStatusCode.GatewayTimeout, (await _client.SendAsync(_port, "h", "/backend")).Status);
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await _client.SendAsync(_port, "h", "/both")).Status);
    }

    [Fact]
    public async Task A_timeout_longer_than_the_upstream_or_none_lets_the_response_through()
    {
        await ServeAsync(
            Timed("long", new TimeoutsIr { Request = TimeSpan.FromSeconds(15), BackendRequest = TimeSpan.FromSeconds(12) }),
            Timed("none", null));

        // Several in a row: the pooled deadline of one request must not fire on the next.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/long")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(_port, "h", "/none")).Status);
    }

    [Fact]
    public async Task A_websocket_outlives_the_route_timeout_once_upgraded()
    {
        await using var echo = await WebSocketEcho.StartAsync();
        var result = await _proxy.ApplyAsync(
            Gateway(
                [Http(_port, Listener("http", null, Host("*", Route("ws", To("ws")) with { Timeouts = new TimeoutsIr { Request = WebSocketRouteTimeout } })))],
                Cluster("ws", echo.Port)),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_port}/ws"), CancellationToken.None);
        // Outlive the route timeout by a clear margin: the timeout must not cut an upgraded connection.
        await Task.Delay(WebSocketRouteTimeout + TimeSpan.FromMilliseconds(500));

        await socket.SendAsync(Encoding.UTF8.GetBytes("still here"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);

        Assert.Equal("still here", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    /// <summary>A WebSocket server that echoes each message back.</summary>
    private sealed class WebSocketEcho : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private WebSocketEcho(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<WebSocketEcho> StartAsync()
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }

                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
                }
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new WebSocketEcho(app, new Uri(address).Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
