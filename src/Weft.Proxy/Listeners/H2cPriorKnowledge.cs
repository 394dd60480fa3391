using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Weft.Proxy.Listeners;

/// <summary>
/// Serves HTTP/1.1 and prior-knowledge h2c on one cleartext socket. Kestrel (.NET 10) picks HTTP/1.1
/// for every cleartext Http1AndHttp2 connection and answers an HTTP/2 preface with HTTP_1_1_REQUIRED
/// (dotnet/aspnetcore#56984). This connection middleware peeks at the first bytes without consuming
/// them; on the RFC 9113 preface it presents the connection to Kestrel as if ALPN had chosen "h2",
/// the only input Kestrel's protocol selection accepts. Nothing else is TLS-like: no handshake
/// feature, and the request handler sets the scheme from the port, never from the client.
/// Delete this once Kestrel sniffs the preface itself (dotnet/aspnetcore#67782).
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(10);

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        bool http2;
        try
        {
            http2 = await IsHttp2Async(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or IOException)
        {
            // Closed, reset or silent before sending a request line: nothing to serve.
            return;
        }

        if (http2)
        {
            connection.Features.Set<ITlsConnectionFeature>(ApplicationProtocolH2.Instance);
            connection.Features.Set<ITlsApplicationProtocolFeature>(ApplicationProtocolH2.Instance);
        }

        await next(connection).ConfigureAwait(false);
    };

    private static async Task<bool> IsHttp2Async(ConnectionContext connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(FirstBytesTimeout);
        var input = connection.Transport.Input;

        var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
        var verdict = Classify(result.Buffer);

        // Consumed nothing, examined nothing: Kestrel's next read sees the same bytes at once.
        input.AdvanceTo(result.Buffer.Start);
        if (verdict is null && !result.IsCompleted)
        {
            // Only a client sending the preface gets here (no HTTP/1 method starts with "PRI *"), so
            // waiting for the rest of its 24 bytes cannot stall an HTTP/1 client.
            result = await input.ReadAtLeastAsync(Preface.Length, timeout.Token).ConfigureAwait(false);
            verdict = Classify(result.Buffer);
            input.AdvanceTo(result.Buffer.Start);
        }

        return verdict == true;
    }

    /// <summary>True: the preface; false: anything else; null: a prefix of the preface, need more bytes.</summary>
    private static bool? Classify(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[24];
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        buffer.Slice(0, length).CopyTo(head);
        if (!Preface.StartsWith(head[..length]))
        {
            return false;
        }

        return length == Preface.Length ? true : null;
    }

    private sealed class ApplicationProtocolH2 : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly ApplicationProtocolH2 Instance = new();

        private static readonly byte[] H2 = "h2"u8.ToArray();

        public ReadOnlyMemory<byte> ApplicationProtocol => H2;

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set { }
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
