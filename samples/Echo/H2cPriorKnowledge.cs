using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Weft.Samples.Echo;

/// <summary>
/// Serves HTTP/1.1 and h2c with prior knowledge on one cleartext port, which echo-basic (Go's
/// h2c handler) does and Kestrel on .NET 10 does not: with <c>Http1AndHttp2</c> and no TLS it
/// picks HTTP/1.1 for every connection ("ambiguous without ALPN"). This connection middleware
/// peeks at the first bytes without consuming them; when they are the HTTP/2 client preface
/// (RFC 9113 §3.4) it presents ALPN "h2", the only signal Kestrel's protocol selection reads.
/// Kestrel only consults ALPN when a TLS feature is present, so an empty one is added; TLS
/// details for the echo come from <see cref="Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature"/>,
/// which stays absent, and the listener allows the client's <c>:scheme http</c>
/// (<c>AllowAlternateSchemes</c>). Newer ASP.NET Core sniffs the preface itself; then this goes.
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan firstBytesTimeout) => next => async connection =>
    {
        bool isHttp2;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // A client that connects and says nothing must not hold the connection forever.
            timeout.CancelAfter(firstBytesTimeout);
            try
            {
                isHttp2 = await StartsWithPrefaceAsync(connection.Transport.Input, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort();
                return;
            }
        }

        if (isHttp2)
        {
            connection.Features.Set<ITlsConnectionFeature>(NoTls.Instance);
            connection.Features.Set<ITlsApplicationProtocolFeature>(NoTls.Instance);
        }

        await next(connection);
    };

    private static async Task<bool> StartsWithPrefaceAsync(System.IO.Pipelines.PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var examined = buffer.Start;
            try
            {
                var length = (int)Math.Min(buffer.Length, Preface.Length);
                if (!new SequenceReader<byte>(buffer).IsNext(Preface.AsSpan(0, length)))
                {
                    return false;
                }

                if (length == Preface.Length)
                {
                    return true;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return false;
                }

                // A prefix of the preface so far: the next read must wait for more bytes.
                examined = buffer.End;
            }
            finally
            {
                // Nothing is consumed, so the protocol handler reads these bytes again; once
                // decided, nothing is marked examined either, or its first read would wait.
                input.AdvanceTo(buffer.Start, examined);
            }
        }
    }

    private sealed class NoTls : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly NoTls Instance = new();

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = SslApplicationProtocol.Http2.Protocol;

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("cleartext connection");
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<X509Certificate2?>(null);
    }
}
