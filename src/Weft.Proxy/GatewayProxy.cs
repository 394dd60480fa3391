using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Ir;
using Weft.Proxy.Listeners;
using Weft.Proxy.Model;
using Weft.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy;

/// <summary>
/// The data plane of one Gateway. <see cref="ApplyAsync(GatewaySnapshotIr, string, CancellationToken)"/>
/// validates and compiles a snapshot, then swaps it in atomically: in-flight requests finish on the
/// model they started with. One Kestrel server per bound (address, port), started and stopped as
/// snapshots add and remove ports; a port that fails to bind is reported and leaves the others alone.
/// </summary>
public sealed class GatewayProxy : IAsyncDisposable
{
    private readonly GatewayProxyOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ServiceProvider _services;
    private readonly HttpMessageInvoker _invoker;
    private readonly ProxyHandler _handler;
    private readonly SemaphoreSlim _applyLock = new(1, 1);

    // Guarded by _applyLock.
    private readonly Dictionary<BindKey, PortServer> _servers = [];
    private long _generation;
    private bool _disposed;

    private volatile ProxyModel? _model;
    private volatile IReadOnlyList<BoundPort> _boundPorts = [];
    private volatile bool _allBound;
    private volatile bool _shuttingDown;

    public GatewayProxy(GatewayProxyOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new GatewayProxyOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<GatewayProxy>();

        var services = new ServiceCollection();
        // YARP's forwarder logs every failed request at Information with its stack trace; the proxy
        // logs failures itself, one rate-limited line with the response flag (UpstreamFailureLog).
        services.AddSingleton<ILoggerFactory>(new Telemetry.QuietForwarderLoggerFactory(_loggerFactory));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddHttpForwarder();
        _services = services.BuildServiceProvider();

        // One pooled client for every cluster: SocketsHttpHandler already keeps a pool per endpoint.
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionLifetime = _options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = _options.PooledConnectionIdleTimeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            RequestHeaderEncodingSelector = Forwarding.HeaderBytes.RequestEncoding,
        });
        _handler = new ProxyHandler(_services.GetRequiredService<IHttpForwarder>(), _invoker, _loggerFactory.CreateLogger("Weft.Proxy.Requests"), _options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The version being served, or null before the first accepted snapshot.</summary>
    public string? ServedVersion => _model?.Version;

    /// <summary>The sockets listening now.</summary>
    public IReadOnlyList<BoundPort> BoundPorts => _boundPorts;

    /// <summary>
    /// Readiness (what a health endpoint's <c>/healthz/ready</c> answers): a snapshot is served and
    /// every one of its ports is bound, and shutdown has not begun. A port that failed to bind keeps the
    /// proxy not ready, so nothing is sent to a gateway that serves only part of its listeners.
    /// </summary>
    public bool IsReady => _model is not null && _allBound && !_shuttingDown;

    /// <summary>True once <see cref="BeginShutdown"/> was called.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>
    /// The first step of shutdown: readiness turns false while every port keeps serving, so whatever
    /// watches readiness can stop sending before the ports stop accepting (<see cref="DisposeAsync"/>).
    /// </summary>
    public void BeginShutdown() => _shuttingDown = true;

    /// <summary>The route table being served (for admin and explain), or null before the first snapshot.</summary>
    public RouteTable? RouteTable => _model?.Table;

    /// <summary>Applies a snapshot with a locally generated version ("local-N").</summary>
    public Task<ApplyResult> ApplyAsync(GatewaySnapshotIr snapshot, CancellationToken cancellationToken) =>
        ApplyAsync(snapshot, "local-" + Interlocked.Increment(ref _generation).ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>
    /// Validates and compiles <paramref name="snapshot"/>; on any error returns them and changes nothing
    /// (the caller NACKs). Otherwise binds new ports, swaps the model in on every port, and drains ports
    /// the snapshot no longer has.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(GatewaySnapshotIr snapshot, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Compile outside the lock: it is pure and may take a while for large snapshots.
        var errors = new List<string>(snapshot.Validate());
        var model = errors.Count == 0 ? ProxyModel.Compile(snapshot, version, errors, _model, _options.DefaultRouteTimeout) : null;
        if (model is null)
        {
            Log.SnapshotRejected(_logger, version, string.Join("; ", errors));
            return new ApplyResult { Accepted = false, ServedVersion = ServedVersion, Errors = errors };
        }

        await _applyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Past the lock the swap runs to completion: cancelling half-way would leave some ports
            // on the new model and others on the old one.
            var failures = await SwapAsync(model).ConfigureAwait(false);
            Log.SnapshotApplied(_logger, version, _servers.Count);
            return new ApplyResult { Accepted = true, ServedVersion = version, BindFailures = failures };
        }
        finally
        {
            _applyLock.Release();
        }
    }

    private async Task<List<BindFailure>> SwapAsync(ProxyModel model)
    {
        var wanted = new Dictionary<BindKey, PortModel>();
        foreach (var port in model.Table.Ports)
        {
            wanted[new BindKey(port.Ir.BindAddress, port.Ir.BindPort)] = port;
        }

        // Ports that go away keep serving the old model until the new one is in, then drain.
        var removed = new List<PortServer>();
        foreach (var (key, server) in _servers)
        {
            if (!wanted.TryGetValue(key, out var port))
            {
                removed.Add(server);
            }
            else if (port.Ir.Protocol != server.Protocol)
            {
                // HTTP ↔ HTTPS on the same socket: the old server must release it before the new binds.
                _servers.Remove(key);
                await StopAsync(server).ConfigureAwait(false);
            }
        }

        foreach (var server in removed)
        {
            _servers.Remove(server.Key);
        }

        var failures = new List<BindFailure>();
        foreach (var (key, port) in wanted)
        {
            if (_servers.TryGetValue(key, out var server))
            {
                server.Current = model.Serve(port);
                continue;
            }

            try
            {
                server = await PortServer.StartAsync(key, model.Serve(port), _handler, _options, _loggerFactory, CancellationToken.None).ConfigureAwait(false);
                _servers[key] = server;
                Log.Listening(_logger, key.Address, server.ActualPort, port.Ir.Protocol);
            }
            catch (Exception e)
            {
                var failure = new BindFailure(key.Address, key.Port, e.Message);
                failures.Add(failure);
                Log.BindFailed(_logger, key.Address, key.Port, e.Message);
            }
        }

        _model = model;
        _allBound = failures.Count == 0;
        PublishBoundPorts();

        foreach (var server in removed)
        {
            await StopAsync(server).ConfigureAwait(false);
        }

        return failures;
    }

    private async Task StopAsync(PortServer server)
    {
        await server.StopAsync(_options.DrainTimeout).ConfigureAwait(false);
        Log.Stopped(_logger, server.Key.Address, server.ActualPort);
    }

    private void PublishBoundPorts()
    {
        var bound = new List<BoundPort>(_servers.Count);
        foreach (var server in _servers.Values)
        {
            bound.Add(new BoundPort(server.Key.Address, server.ActualPort, server.Current.Port.Port, server.Protocol));
        }

        _boundPorts = bound;
    }

    /// <summary>
    /// Stops every port at once — each stops accepting, then lets its in-flight requests finish for up
    /// to <see cref="GatewayProxyOptions.DrainTimeout"/> (Kestrel answers HTTP/1.1 with
    /// <c>Connection: close</c> and sends HTTP/2 GOAWAY) — and releases the upstream connection pool.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _shuttingDown = true;
        await _applyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var servers = _servers.Values.ToList();
            _servers.Clear();
            _boundPorts = [];
            await Task.WhenAll(servers.Select(StopAsync)).ConfigureAwait(false);
        }
        finally
        {
            _applyLock.Release();
        }

        _invoker.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
