using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Weft.Samples.Echo;

/// <summary>
/// echo-basic's <c>/ws</c>: a WebSocket that sends every message back as it came (text stays
/// text, binary stays binary). Like Go's x/net/websocket server it refuses a handshake without an
/// Origin that parses as a URL.
/// </summary>
internal static class EchoWebSocket
{
    public static async Task HandleAsync(HttpContext context, TextWriter? log)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // x/net/websocket's answers to a request that is not a handshake.
            var status = HttpMethods.IsGet(context.Request.Method)
                ? StatusCodes.Status400BadRequest
                : StatusCodes.Status405MethodNotAllowed;
            await EchoHandler.WriteTextAsync(context, status, "not websocket protocol");
            return;
        }

        if (!IsRequestUri(context.Request.Headers.Origin.ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort);
        log?.WriteLine($"established websocket connection {remote}");

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure,
                        socket.CloseStatusDescription, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The peer went away without a close handshake: nothing left to echo to.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Go's url.ParseRequestURI: an absolute URI or an absolute path; "" and "null" fail.
    private static bool IsRequestUri(string origin) =>
        origin.StartsWith('/') || Uri.TryCreate(origin, UriKind.Absolute, out _);
}
