using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Weft.Proxy.Listeners;

/// <summary>
/// Kestrel's socket transport, choosing each connection's I/O scheduling from its first bytes. HTTP/1.1
/// connections run inline on the socket threads (see <see cref="IoScheduling"/>): one request at a
/// time per connection, so the socket thread is an event loop. Prior-knowledge h2c
/// connections get Kestrel's default queued scheduling instead: Kestrel runs every HTTP/2 stream on the
/// thread pool, and with the connection's frame loop inline on a socket thread the two contend for the
/// connection's writer; queued, h2c cost about 20 % less CPU per request (docs/performance.md, fourth round).
/// On a TLS port (<paramref name="tls"/>) the first bytes are the ClientHello, and a connection whose
/// ALPN offer includes "h2" is scheduled as h2c is (<see cref="TlsClientHello"/>); h2 over TLS cost
/// 14–21 % less CPU per request queued than inline, HTTP/1.1 over TLS 15 % more (docs/performance.md,
/// fifth round). The peek only picks the scheduler: <see cref="H2cPriorKnowledge"/> and the TLS
/// handshake still decide the protocol from the bytes Kestrel reads.
/// </summary>
internal sealed class SchedulingSocketTransport(ILoggerFactory loggerFactory, bool tls = false) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    // Kestrel's defaults: listen backlog 512, Nagle off.
    private const int Backlog = 512;

    // How long a connection may stay silent before it is handed to Kestrel unclassified (as HTTP/1.1),
    // whose own timeouts then apply.
    private static readonly TimeSpan ClassifyTimeout = TimeSpan.FromSeconds(10);

    // A first message that arrives in pieces (a large ClientHello over a small MSS) is polled for this
    // long at most, then the connection is scheduled without it (inline, as HTTP/1.1).
    private const int IncompletePolls = 20;
    private static readonly TimeSpan IncompletePollInterval = TimeSpan.FromMilliseconds(5);

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // What Kestrel's own transport throws, so Kestrel words the failure as it always does.
            throw new AddressInUseException(e.Message, e);
        }

        try
        {
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var logger = loggerFactory.CreateLogger("Weft.Proxy.Listeners.SocketTransport");
        return ValueTask.FromResult<IConnectionListener>(new Listener(socket, tls, logger));
    }

    /// <summary>The first bytes' verdict: the HTTP/2 preface starts "PRI", which no HTTP/1.1 method does (RFC 9113 §3.4).</summary>
    internal static bool LooksLikeHttp2(ReadOnlySpan<byte> first) => first.StartsWith("PRI"u8);

    private static FirstBytesVerdict Classify(bool tls, ReadOnlySpan<byte> first) =>
        tls ? TlsClientHello.Read(first)
            : first.Length < 3 && "PRI"u8.StartsWith(first) ? FirstBytesVerdict.Incomplete
            : LooksLikeHttp2(first) ? FirstBytesVerdict.OffersHttp2 : FirstBytesVerdict.NoHttp2;

    private sealed class Listener : IConnectionListener
    {
        private readonly Socket _socket;
        private readonly bool _tls;
        private readonly byte[] _peek; // the accept loop's, for TryClassifyNow
        private readonly ILogger _logger;
        private readonly SocketConnectionContextFactory _inline;
        private readonly SocketConnectionContextFactory _queued;
        private readonly Channel<ConnectionContext> _ready = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _acceptLoop;

        public Listener(Socket socket, bool tls, ILogger logger)
        {
            _socket = socket;
            _tls = tls;
            _peek = new byte[PeekLength];
            _logger = logger;
            EndPoint = socket.LocalEndPoint!;
            _inline = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = true }, logger);
            _queued = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), logger);
            _acceptLoop = AcceptLoopAsync();
        }

        public EndPoint EndPoint { get; }

        private int PeekLength => _tls ? TlsClientHello.MaxRecordLength : 3;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return null; // unbound: Kestrel stops accepting
            }
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            _socket.Dispose();
            await _acceptLoop.ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await UnbindAsync().ConfigureAwait(false);

            // Classified after unbinding, never accepted by Kestrel: close them.
            while (_ready.Reader.TryRead(out var orphan))
            {
                await orphan.DisposeAsync().ConfigureAwait(false);
            }

            _inline.Dispose();
            _queued.Dispose();
            _stopping.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            await Task.Yield(); // off the constructor's (Kestrel's bind) thread
            while (!_stopping.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                    || (e is SocketException s && s.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument))
                {
                    break; // unbound
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    continue; // reset while in the backlog: nothing to serve
                }
                catch (SocketException e)
                {
                    // Out of descriptors and the like: log, back off briefly, keep the port serving.
                    Log.AcceptFailed(_logger, EndPoint, e);
                    await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                    continue;
                }

                accepted.NoDelay = true;
                if (!TryClassifyNow(accepted))
                {
                    _ = ClassifyAsync(accepted);
                }
            }

            // Connections still being classified finish on their own and see the channel closed.
            _ready.Writer.TryComplete();
        }

        // Most clients send their first request with the handshake's last ACK, so it is usually there by
        // the time the socket is accepted: then one FIONREAD and one non-blocking peek classify it here,
        // without a task and an extra trip through epoll per connection.
        private bool TryClassifyNow(Socket socket)
        {
            try
            {
                var available = socket.Available;
                if (available < 3)
                {
                    return false;
                }

                var read = socket.Receive(_peek.AsSpan(0, Math.Min(available, _peek.Length)), SocketFlags.Peek);
                var verdict = Classify(_tls, _peek.AsSpan(0, read));
                if (verdict == FirstBytesVerdict.Incomplete)
                {
                    return false;
                }

                Hand(socket, verdict == FirstBytesVerdict.OffersHttp2);
            }
            catch (SocketException)
            {
                socket.Dispose(); // reset between accept and peek
            }

            return true;
        }

        private void Hand(Socket socket, bool http2)
        {
            var connection = (http2 ? _queued : _inline).Create(socket);
            connection.Features.Set(http2 ? ConnectionScheduling.Queued : ConnectionScheduling.Inline);
            if (!_ready.Writer.TryWrite(connection))
            {
                // Unbound meanwhile: never handed to Kestrel, so closed here.
                _ = connection.DisposeAsync().AsTask();
            }
        }

        private async Task ClassifyAsync(Socket socket)
        {
            var http2 = false;
            var buffer = ArrayPool<byte>.Shared.Rent(PeekLength);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(ClassifyTimeout);
                var read = await socket.ReceiveAsync(buffer.AsMemory(0, PeekLength), SocketFlags.Peek, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    socket.Dispose(); // closed before a byte: nothing to serve
                    return;
                }

                // A peek returns at once while any byte is unread, so the rest of a ClientHello split
                // across segments is polled for, briefly: the handshake cannot start without it anyway.
                var verdict = Classify(_tls, buffer.AsSpan(0, read));
                for (var attempt = 0; verdict == FirstBytesVerdict.Incomplete && attempt < IncompletePolls; attempt++)
                {
                    await Task.Delay(IncompletePollInterval, timeout.Token).ConfigureAwait(false);
                    read = await socket.ReceiveAsync(buffer.AsMemory(0, PeekLength), SocketFlags.Peek, timeout.Token).ConfigureAwait(false);
                    verdict = Classify(_tls, buffer.AsSpan(0, read));
                }

                http2 = verdict == FirstBytesVerdict.OffersHttp2;
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                // Silent for ClassifyTimeout: Kestrel's own timeouts take it from here, as HTTP/1.1.
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                socket.Dispose();
                return;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            Hand(socket, http2);
        }
    }
}

/// <summary>How <see cref="SchedulingSocketTransport"/> scheduled a connection's I/O, kept on the connection's features.</summary>
internal sealed record ConnectionScheduling(bool RunsInline)
{
    public static readonly ConnectionScheduling Inline = new(true);
    public static readonly ConnectionScheduling Queued = new(false);
}
