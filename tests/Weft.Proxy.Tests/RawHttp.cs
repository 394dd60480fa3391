using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Weft.Proxy.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient would normalize or refuse to send (dot
/// segments, odd escapes, malformed headers). Sends "Connection: close" semantics: reads to EOF.
/// </summary>
internal static class RawHttp
{
    internal sealed record Response(int Status, string Head, string Body)
    {
        public Echo? Echo => Status == 200 && Body.StartsWith('{')
            ? JsonSerializer.Deserialize<Echo>(Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            : null;

        public string? Header(string name)
        {
            foreach (var line in Head.Split("\r\n"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return line[(colon + 1)..].Trim();
                }
            }

            return null;
        }
    }

    /// <summary>GET <paramref name="target"/> with Host <paramref name="host"/> and Connection: close.</summary>
    public static Task<Response> GetAsync(int port, string target, string host = "h", string extraHeaders = "") =>
        SendAsync(port, $"GET {target} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}Connection: close\r\n\r\n");

    /// <summary>Sends <paramref name="request"/> as is and reads the response until the server closes (10 s deadline).</summary>
    public static async Task<Response> SendAsync(int port, string request)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), deadline.Token);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, deadline.Token);
            }
            catch (SocketException) when (received.Length > 0)
            {
                // A reset after the response (the server closed with unread input) ends it too.
                break;
            }

            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var status = head.Length >= 12 ? int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Response(status, head, body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < body.Length)
        {
            var eol = body.IndexOf("\r\n", i, StringComparison.Ordinal);
            if (eol < 0)
            {
                break;
            }

            var size = Convert.ToInt32(body[i..eol].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }

        return result.ToString();
    }
}
