using System.Net;
using System.Net.WebSockets;
using System.Text;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

public sealed class EchoWebSocketTests
{
    [Fact]
    public async Task Text_and_binary_messages_come_back_unchanged()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var socket = new ClientWebSocket();
        // As in the conformance test: the handshake carries an Origin.
        socket.Options.SetRequestHeader("Origin", "ws://gateway/TestWebSocket");
        await socket.ConnectAsync(new Uri($"ws://{server.EndPoint}/ws"), cts.Token);

        var text = Encoding.UTF8.GetBytes("Websocket Support!");
        var (textType, textEcho) = await RoundTripAsync(socket, text, WebSocketMessageType.Text, cts.Token);
        Assert.Equal(WebSocketMessageType.Text, textType);
        Assert.Equal(text, textEcho);

        byte[] binary = [1, 2, 3, 4, 5, 6, 7];
        var (binaryType, binaryEcho) = await RoundTripAsync(socket, binary, WebSocketMessageType.Binary, cts.Token);
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.Equal(binary, binaryEcho);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Handshake_without_origin_is_forbidden()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{server.EndPoint}/ws"), cts.Token));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Plain_request_to_ws_is_a_bad_request()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(server.Uri, "/ws"), cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<(WebSocketMessageType, byte[])> RoundTripAsync(
        ClientWebSocket socket, byte[] message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await socket.SendAsync(message, type, endOfMessage: true, cancellationToken);
        var received = new MemoryStream();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            received.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, received.ToArray());
            }
        }
    }
}
