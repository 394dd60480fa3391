using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Proxy.Listeners;

namespace Weft.Proxy.Tests;

/// <summary>
/// The ALPN offer read from real ClientHellos (.NET's SslStream over OpenSSL, as a client sends them),
/// and TLS connections scheduled by it in <see cref="SchedulingSocketTransport"/>.
/// </summary>
public sealed class TlsClientHelloTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static TheoryData<string[], string> Offers => new()
    {
        { ["h2", "http/1.1"], nameof(FirstBytesVerdict.OffersHttp2) },
        { ["http/1.1", "h2"], nameof(FirstBytesVerdict.OffersHttp2) },
        { ["http/1.1"], nameof(FirstBytesVerdict.NoHttp2) },
        { ["h2c", "h2-16"], nameof(FirstBytesVerdict.NoHttp2) },
        { [], nameof(FirstBytesVerdict.NoHttp2) },
    };

    /// <summary>A client handshake offering <paramref name="alpn"/>; it fails once the other end closes.</summary>
    private static Task StartHandshake(SslStream tls, string[] alpn) => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
    {
        TargetHost = "app.test",
        ApplicationProtocols = alpn.Select(name => new SslApplicationProtocol(name)).ToList(),
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    });

    /// <summary>A client's first flight, captured off a real socket: the ClientHello record, whole.</summary>
    private static async Task<byte[]> ClientHelloAsync(string[] alpn)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)server.LocalEndPoint!);
        using var accepted = await server.AcceptAsync();
        await using var tls = new SslStream(client.GetStream());
        var handshake = StartHandshake(tls, alpn);

        using var timeout = new CancellationTokenSource(Deadline);
        var buffer = new byte[TlsClientHello.MaxRecordLength];
        var length = 0;
        while (length < 5 || length < 5 + ((buffer[3] << 8) | buffer[4]))
        {
            var read = await accepted.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            Assert.NotEqual(0, read);
            length += read;
        }

        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake); // the "server" never answers
        return buffer[..length];
    }

    [Theory]
    [MemberData(nameof(Offers))]
    public async Task A_clienthello_says_whether_it_offers_h2(string[] alpn, string expected)
    {
        var hello = await ClientHelloAsync(alpn);

        Assert.Equal(expected, TlsClientHello.Read(hello).ToString());
    }

    [Fact]
    public async Task A_clienthello_cut_short_is_incomplete_at_every_length()
    {
        var hello = await ClientHelloAsync(["h2", "http/1.1"]);

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(FirstBytesVerdict.Incomplete, TlsClientHello.Read(hello.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    public void Bytes_that_are_no_tls_offer_no_h2(string first) =>
        Assert.Equal(FirstBytesVerdict.NoHttp2, TlsClientHello.Read(System.Text.Encoding.ASCII.GetBytes(first)));

    [Fact]
    public async Task Lengths_that_lie_never_read_past_the_record()
    {
        var hello = await ClientHelloAsync(["h2"]);

        // Every length field blown up in turn, one byte at a time: the reader must say no, not throw.
        for (var i = 5; i < hello.Length; i++)
        {
            var corrupt = hello.ToArray();
            corrupt[i] = 0xff;
            var verdict = TlsClientHello.Read(corrupt);
            Assert.True(Enum.IsDefined(verdict));
        }

        Assert.Equal(FirstBytesVerdict.NoHttp2, TlsClientHello.Read([22, 3, 1, 0xff, 0xff]));
    }

    [Theory]
    [InlineData(new[] { "h2", "http/1.1" }, false)]
    [InlineData(new[] { "http/1.1" }, true)]
    [InlineData(new string[0], true)]
    public async Task A_tls_port_queues_connections_that_offer_h2_and_runs_the_rest_inline(string[] alpn, bool inline)
    {
        await using var listener = await new SchedulingSocketTransport(NullLoggerFactory.Instance, tls: true).BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.EndPoint);
        await using var tls = new SslStream(client.GetStream());
        var handshake = StartHandshake(tls, alpn);

        using var timeout = new CancellationTokenSource(Deadline);
        await using var connection = (await listener.AcceptAsync(timeout.Token))!;

        Assert.Equal(inline, connection.Features.Get<ConnectionScheduling>()!.RunsInline);
        var first = await connection.Transport.Input.ReadAtLeastAsync(5, timeout.Token);
        Assert.Equal(22, first.Buffer.FirstSpan[0]); // the ClientHello is still there for the handshake
        connection.Transport.Input.AdvanceTo(first.Buffer.Start);
        client.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
    }
}
