using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>Request bodies: streamed whole by default, refused whole (never forwarded in part as if complete) past a limit.</summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private readonly List<Task<BodySeen>> _seen = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource<BodySeen> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _backend = null!;
    private int _backendPort;

    /// <summary>What the backend read: the byte count, the body's hash, and whether the body ended properly.</summary>
    internal sealed record BodySeen(long Bytes, string Sha256, bool Complete);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0);
        });
        _backend = builder.Build();
        _backend.Run(async context =>
        {
            TaskCompletionSource<BodySeen> seen;
            lock (_lock)
            {
                seen = _next;
                _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long total = 0;
            try
            {
                int n;
                while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    total += n;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
            {
                seen.TrySetResult(new BodySeen(total, "", false));
                return;
            }

            seen.TrySetResult(new BodySeen(total, Convert.ToHexString(hash.GetHashAndReset()), true));
            await context.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await _backend.StartAsync();
        _backendPort = new Uri(_backend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync()
    {
        await _backend.StopAsync();
        await _backend.DisposeAsync();
    }

    private Task<BodySeen> NextBody()
    {
        lock (_lock)
        {
            return _next.Task;
        }
    }

    private async Task<(GatewayProxy Proxy, int Port)> ServeAsync(long? limit)
    {
        var port = FreePort.Next();
        var proxy = new GatewayProxy(new GatewayProxyOptions { MaxRequestBodySize = limit });
        var result = await proxy.ApplyAsync(
            Gateway([Http(port, Listener("http", null, Host("*", Route("upload", To("backend")))))], Cluster("backend", _backendPort)),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        return (proxy, port);
    }

    [Fact]
    public async Task A_40_MB_streamed_upload_reaches_the_backend_intact_by_default()
    {
        var (proxy, port) = await ServeAsync(null);
        await using var _ = proxy;
        const long size = 40L * 1024 * 1024;
        var body = NextBody();
        using var client = Http.Client();
        client.Timeout = TimeSpan.FromSeconds(60);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/upload")
        {
            // No length: sent chunked, as a streamed upload is.
            Content = new StreamContent(new PatternStream(size)),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = await body.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(seen.Complete);
        Assert.Equal(size, seen.Bytes);
        Assert.Equal(PatternStream.Sha256(size), seen.Sha256);
    }

    [Fact]
    public async Task A_content_length_over_the_limit_is_413_before_anything_is_forwarded()
    {
        var (proxy, port) = await ServeAsync(1024 * 1024);
        await using var _ = proxy;
        var body = NextBody();

        // Headers only: the proxy must answer without waiting for (or forwarding) the body.
        var response = await RawHttp.SendAsync(port, "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n");

        Assert.Equal(413, response.Status);
        Assert.False(body.IsCompleted);

        // Within the limit still goes through.
        using var client = Http.Client();
        using var ok = await client.PostAsync($"http://127.0.0.1:{port}/upload", new ByteArrayContent(new byte[1000]));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1000, (await body.WaitAsync(TimeSpan.FromSeconds(10))).Bytes);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_never_reaches_the_backend_as_complete()
    {
        var (proxy, port) = await ServeAsync(1024 * 1024);
        await using var _ = proxy;
        var body = NextBody();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var chunk = new byte[64 * 1024];
        var header = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        try
        {
            // 2 MB, then the terminating chunk: a complete body twice the limit.
            for (var i = 0; i < 32; i++)
            {
                await socket.SendAsync(header);
                await socket.SendAsync(chunk);
                await socket.SendAsync("\r\n"u8.ToArray());
            }

            await socket.SendAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (SocketException)
        {
            // The proxy may close the connection once it has refused the body.
        }

        var seen = await body.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(seen.Complete, $"the backend read a complete body of {seen.Bytes} bytes");
        Assert.True(seen.Bytes <= 2L * 1024 * 1024);

        var received = new byte[4096];
        var n = 0;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            n = await socket.ReceiveAsync(received, deadline.Token);
        }
        catch (SocketException)
        {
        }

        if (n > 0)
        {
            Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(received, 0, n), StringComparison.Ordinal);
        }
    }

    /// <summary>A deterministic body of any length, generated as it is read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public static string Sha256(long length)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var stream = new PatternStream(length);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = (byte)((_position + i) * 31 % 251);
            }

            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
