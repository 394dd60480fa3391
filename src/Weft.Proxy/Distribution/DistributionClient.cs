using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using Weft.Ir.Wire;

namespace Weft.Proxy.Distribution;

/// <summary>What applying a snapshot did: whether it is now served, and the error to report (if any).</summary>
public sealed record SnapshotOutcome(bool Applied, string? Error);

/// <summary>Who a proxy says it is on the stream.</summary>
public sealed record ProxyIdentity(string Role, string Namespace, string Name)
{
    /// <summary>The workload's labels (sidecars), sent in Hello.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string NodeId { get; init; } = $"{Role}~{Namespace}~{Name}~{Environment.ProcessId}~{Guid.NewGuid().ToString("n")[..8]}";
}

/// <summary>
/// The proxy's side of the distribution stream: say Hello, apply each snapshot, answer ACK or NACK.
/// When the control plane goes away the proxy keeps serving its last good snapshot and reconnects
/// with exponential backoff (100 ms doubling to 5 s, with jitter), announcing the version it serves.
/// </summary>
public sealed partial class DistributionClient : IAsyncDisposable
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The largest snapshot message accepted from the control plane (256 MiB: ~300,000 routes).</summary>
    internal const int MaxSnapshotBytes = 256 * 1024 * 1024;

    private readonly Uri _controlPlane;
    private readonly ProxyIdentity _identity;
    private readonly Func<GatewaySnapshotIr, string, CancellationToken, Task<SnapshotOutcome>> _apply;
    private readonly Func<string?>? _credential;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private string _servingVersion = "";

    /// <param name="apply">Applies a snapshot (with its version) and says whether it now serves it, and what went wrong.</param>
    /// <param name="credential">
    /// The bearer token to prove who this proxy is, asked for at every (re)connect so a rotated
    /// credential is picked up; null sends none (the control plane then refuses the stream).
    /// </param>
    public DistributionClient(Uri controlPlane, ProxyIdentity identity, Func<GatewaySnapshotIr, string, CancellationToken, Task<SnapshotOutcome>> apply, ILogger<DistributionClient> logger, Func<string?>? credential = null)
    {
        _controlPlane = controlPlane;
        _identity = identity;
        _apply = apply;
        _logger = logger;
        _credential = credential;
    }

    /// <summary>The version this proxy serves ("" before the first snapshot).</summary>
    public string ServingVersion => Volatile.Read(ref _servingVersion);

    /// <summary>
    /// Whether a control plane in this same process may hand snapshots over as IR objects instead of
    /// JSON (see <see cref="InProcessSnapshots"/>). On by default; off forces the JSON path.
    /// </summary>
    public bool AcceptInProcessSnapshots { get; init; } = true;

    public bool Connected { get; private set; }

    /// <summary>Completes when the first snapshot has been applied.</summary>
    public Task FirstSnapshotApplied => _firstApplied.Task;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = InitialBackoff;
        using var channel = GrpcChannel.ForAddress(_controlPlane, new GrpcChannelOptions
        {
            // A snapshot is one message, about 0.8 KiB of IR JSON per route: gRPC's default 4 MiB
            // receive limit stopped a gateway of ~5,000 routes from ever getting its config (the
            // stream failed with ResourceExhausted and the proxy kept retrying). The control plane is
            // trusted; the bound only stops a runaway message.
            MaxReceiveMessageSize = MaxSnapshotBytes,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                UseProxy = false,
            },
        });
        var client = new Ir.Wire.Distribution.DistributionClient(channel);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await StreamOnceAsync(client, () => backoff = InitialBackoff, ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: the cancelled call surfaces as OperationCanceledException or RpcException(Cancelled).
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                // Not a network problem: say so plainly; retrying still helps when the credential is fixed.
                LogRefused(_controlPlane, e.Status.Detail, backoff.TotalMilliseconds);
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or OperationCanceledException)
            {
                LogStreamLost(_controlPlane, e.Message, backoff.TotalMilliseconds);
            }
            finally
            {
                Connected = false;
            }

            try
            {
                var jitter = Random.Shared.NextDouble() * 0.2 + 0.9;
                await Task.Delay(backoff * jitter, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    private async Task StreamOnceAsync(Ir.Wire.Distribution.DistributionClient client, Action connected, CancellationToken ct)
    {
        var token = _credential?.Invoke();
        var headers = token is null ? null : new Metadata { { "authorization", "Bearer " + token } };
        using var call = client.Stream(headers, cancellationToken: ct);
        var hello = new Hello
        {
            NodeId = _identity.NodeId,
            Role = _identity.Role,
            Namespace = _identity.Namespace,
            Name = _identity.Name,
            LastVersion = ServingVersion,
            ProcessToken = AcceptInProcessSnapshots ? InProcessSnapshots.ProcessToken : "",
        };
        foreach (var (key, value) in _identity.Labels)
        {
            hello.Labels[key] = value;
        }
        await call.RequestStream.WriteAsync(new ProxyMessage { Hello = hello }, ct).ConfigureAwait(false);

        while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
        {
            Connected = true;
            connected();
            var message = call.ResponseStream.Current;
            SnapshotOutcome outcome;
            var received = System.Diagnostics.Stopwatch.GetTimestamp();
            var decoded = received;
            try
            {
                // Decoding and compiling a large snapshot take milliseconds to seconds: never on a socket
                // I/O thread (with inline completions, see IoScheduling, this continuation runs on one,
                // and every connection that thread serves would wait).
                outcome = await Task.Run(
                    () =>
                    {
                        var snapshot = message.InProcess
                            ? InProcessSnapshots.TryTake(message.Nonce, out var shared) ? shared : throw new InvalidOperationException($"in-process snapshot {message.Version} was not found")
                            : IrJson.Deserialize(message.SnapshotJson.Span);
                        decoded = System.Diagnostics.Stopwatch.GetTimestamp();
                        return _apply(snapshot, message.Version, ct);
                    },
                    ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                outcome = new SnapshotOutcome(false, $"snapshot could not be read: {e.Message}");
            }

            if (outcome.Applied)
            {
                Volatile.Write(ref _servingVersion, message.Version);
                _firstApplied.TrySetResult();
                LogApplied(message.Version, message.SnapshotJson.Length, System.Diagnostics.Stopwatch.GetElapsedTime(received, decoded).TotalMilliseconds, System.Diagnostics.Stopwatch.GetElapsedTime(decoded).TotalMilliseconds);
            }

            if (outcome.Error is null)
            {
                await call.RequestStream.WriteAsync(new ProxyMessage { Ack = new Ack { Version = message.Version, Nonce = message.Nonce } }, ct).ConfigureAwait(false);
            }
            else
            {
                // Also sent when the snapshot was applied but a port could not be bound, so the
                // control plane can tell the user; the rest of the snapshot is served.
                LogRejected(message.Version, outcome.Error);
                await call.RequestStream.WriteAsync(new ProxyMessage { Nack = new Nack { Version = message.Version, Nonce = message.Nonce, Error = outcome.Error } }, ct).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "applied snapshot version {Version} ({Bytes} bytes): decoded in {DecodeMs:F1} ms, applied in {ApplyMs:F1} ms")]
    private partial void LogApplied(string version, int bytes, double decodeMs, double applyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "snapshot version {Version}: {Error}")]
    private partial void LogRejected(string version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the control plane at {ControlPlane} refused this proxy: {Reason}; serving the last snapshot, retrying in {BackoffMs} ms")]
    private partial void LogRefused(Uri controlPlane, string reason, double backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lost the control plane at {ControlPlane} ({Reason}); serving the last snapshot, retrying in {BackoffMs} ms")]
    private partial void LogStreamLost(Uri controlPlane, string reason, double backoffMs);
}
