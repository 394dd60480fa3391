using System.Net;
using System.Net.Sockets;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task A_request_in_flight_at_shutdown_completes_within_the_drain_timeout_with_connection_close()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await Upstream.StartAsync("slow", beforeResponse: async () =>
        {
            arrived.TrySetResult();
            await release.Task;
        });
        var port = FreePort.Next();
        var proxy = new GatewayProxy(new GatewayProxyOptions { DrainTimeout = TimeSpan.FromSeconds(30) });
        var result = await proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, Host("*", Route("slow", To("slow")))))], Cluster(upstream)), CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());

        // Keep-alive request: the proxy must close the connection after it, being shut down.
        var response = RawHttp.SendAsync(port, "GET /long HTTP/1.1\r\nHost: h\r\n\r\n");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = proxy.DisposeAsync().AsTask();

        // Draining: new connections are refused while the request is still held upstream.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await Accepts(port))
        {
            await Task.Delay(20, deadline.Token);
        }

        Assert.False(stopping.IsCompleted);
        release.SetResult();
        var answer = await response.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, answer.Status);
        Assert.Equal("close", answer.Header("Connection"));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<bool> Accepts(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
