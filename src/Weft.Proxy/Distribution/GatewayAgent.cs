using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weft.Proxy.Distribution;

/// <summary>
/// A proxy wired to a control plane: the data plane plus the stream that feeds it. As a gateway
/// proxy (role "gateway") it serves one Gateway: `weft up` runs one per Gateway, `weft proxy` one on
/// its own. As a sidecar (role "sidecar") it is a workload's outbound proxy: `weft run` runs one per
/// workload, fed the snapshot of the workload's namespace.
/// </summary>
public sealed class GatewayAgent : IAsyncDisposable
{
    private readonly DistributionClient _client;
    private readonly TimeSpan _drainDelay;
    private int _disposed;

    public GatewayAgent(Uri controlPlane, string gatewayNamespace, string gatewayName, ILoggerFactory? loggerFactory = null, GatewayProxyOptions? options = null, Func<string?>? credential = null)
        : this(controlPlane, new ProxyIdentity("gateway", gatewayNamespace, gatewayName), loggerFactory, options, credential)
    {
    }

    /// <param name="credential">The token the stream presents, asked for at each connect (see <see cref="DistributionClient"/>).</param>
    public GatewayAgent(Uri controlPlane, ProxyIdentity identity, ILoggerFactory? loggerFactory = null, GatewayProxyOptions? options = null, Func<string?>? credential = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        Proxy = new GatewayProxy(options, loggerFactory);
        _drainDelay = options?.DrainDelay ?? TimeSpan.Zero;
        Identity = identity;
        _client = new DistributionClient(controlPlane, Identity, ApplyAsync, loggerFactory.CreateLogger<DistributionClient>(), credential);
    }

    public GatewayProxy Proxy { get; }
    public ProxyIdentity Identity { get; }
    public DistributionClient Client => _client;

    /// <summary>Raised after each snapshot is applied, with the result.</summary>
    public event Action<ApplyResult>? Applied;

    public void Start() => _client.Start();

    private async Task<SnapshotOutcome> ApplyAsync(Ir.GatewaySnapshotIr snapshot, string version, CancellationToken ct)
    {
        var result = await Proxy.ApplyAsync(snapshot, version, ct).ConfigureAwait(false);
        Applied?.Invoke(result);
        return new SnapshotOutcome(result.Accepted, result.Succeeded ? null : result.Describe());
    }

    /// <summary>
    /// Shutdown in order: readiness turns 503 (<see cref="GatewayProxy.BeginShutdown"/>), the ports keep
    /// serving for <see cref="GatewayProxyOptions.DrainDelay"/> so that whatever watches readiness moves
    /// traffic away, then the stream stops and the ports stop accepting and drain in-flight requests for up
    /// to <see cref="GatewayProxyOptions.DrainTimeout"/>.
    /// </summary>
    public async Task ShutdownAsync(TimeProvider? time = null)
    {
        Proxy.BeginShutdown();
        if (_drainDelay > TimeSpan.Zero)
        {
            await Task.Delay(_drainDelay, time ?? TimeProvider.System).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Once: ShutdownAsync disposes, and a host's `await using` or finally may dispose again.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        await Proxy.DisposeAsync().ConfigureAwait(false);
    }
}
