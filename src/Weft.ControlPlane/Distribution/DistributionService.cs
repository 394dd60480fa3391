using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Weft.ControlPlane.Hosting;
using Weft.ControlPlane.Security;
using Weft.Identity;
using Weft.Ir;
using Weft.Ir.Wire;

namespace Weft.ControlPlane.Distribution;

/// <summary>
/// The control plane's side of the stream: after the proxy's Hello, send it the current snapshot
/// of its gateway and every later version; record each ACK and NACK. A NACKed version is not
/// resent until the content changes again (the proxy keeps serving what it had).
/// A stream is served only to a caller that proves who it is (docs/security.md): its bearer token is
/// the administrator credential or a proxy token whose scope is exactly the Gateway (or sidecar
/// namespace) its Hello names; at most <see cref="ControlPlaneOptions.MaxProxyStreams"/> streams are
/// open at once, and one that says no Hello within <see cref="ControlPlaneOptions.HelloTimeout"/> is closed.
/// </summary>
public sealed partial class DistributionService : Ir.Wire.Distribution.DistributionBase
{
    private readonly SnapshotCache _cache;
    private readonly ProxyRegistry _registry;
    private readonly TimeProvider _time;
    private readonly CallerAuthenticator _authenticator;
    private readonly ControlPlaneOptions _options;
    private readonly ILogger<DistributionService> _logger;

    /// <summary>The gRPC path prefix of the service (the distribution port serves nothing else).</summary>
    public const string PathPrefix = "/weft.distribution.v1.Distribution";

    public DistributionService(SnapshotCache cache, ProxyRegistry registry, TimeProvider time, CallerAuthenticator authenticator, ControlPlaneOptions options, ILogger<DistributionService> logger)
    {
        _cache = cache;
        _registry = registry;
        _time = time;
        _authenticator = authenticator;
        _options = options;
        _logger = logger;
    }

    public override async Task Stream(IAsyncStreamReader<ProxyMessage> requestStream, IServerStreamWriter<SnapshotMessage> responseStream, ServerCallContext context)
    {
        var caller = _authenticator.FromAuthorization(context.RequestHeaders.GetValue("authorization"));
        if (caller.Kind is CallerKind.Anonymous or CallerKind.Invalid)
        {
            LogRefused(context.Peer, caller.Kind == CallerKind.Anonymous ? "no credential" : "a credential that is not this control plane's");
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, caller.Kind == CallerKind.Anonymous
                ? $"the control plane serves only authenticated proxies: send \"authorization: Bearer TOKEN\" (the credential in {LocalCredential.FilePath} or a proxy token)"
                : "the credential presented is not this control plane's"));
        }

        if (!_registry.TryOpenStream(_options.MaxProxyStreams))
        {
            LogRefused(context.Peer, $"more than {_options.MaxProxyStreams} proxy streams");
            throw new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, $"the control plane serves at most {_options.MaxProxyStreams} proxy streams at once"));
        }

        try
        {
            await ServeAsync(caller, requestStream, responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            _registry.CloseStream();
        }
    }

    private async Task ServeAsync(Caller caller, IAsyncStreamReader<ProxyMessage> requestStream, IServerStreamWriter<SnapshotMessage> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        using (var helloWait = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            helloWait.CancelAfter(_options.HelloTimeout);
            bool said;
            try
            {
                said = await requestStream.MoveNext(helloWait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException && !ct.IsCancellationRequested)
            {
                throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, $"no Hello within {_options.HelloTimeout.TotalSeconds:0.#} s"));
            }

            if (!said || requestStream.Current.KindCase != ProxyMessage.KindOneofCase.Hello)
            {
                throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "the first message on the stream must be Hello"));
            }
        }

        var hello = requestStream.Current.Hello;
        if (Oversized(hello) is { } field)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"Hello's {field} is too long (names are at most {MaxNameLength} characters, labels at most {MaxLabels})"));
        }

        if (hello.Role is not (SnapshotKeys.GatewayRole or SnapshotKeys.SidecarRole))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"role \"{hello.Role}\" is not one this control plane serves ({SnapshotKeys.GatewayRole}, {SnapshotKeys.SidecarRole})"));
        }

        var scope = ProxyTokens.ScopeFor(hello.Role, hello.Namespace, hello.Name);
        if (!caller.MayServe(scope))
        {
            LogRefused(context.Peer, $"a token for {caller.Scope} asking for {scope}");
            throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, $"this proxy's token is for {caller.Scope}; it may not receive the config of {scope}"));
        }

        var gateway = SnapshotKeys.For(hello.Role, hello.Namespace, hello.Name);
        var connectionId = _registry.NextConnectionId();
        var nodeId = string.IsNullOrEmpty(hello.NodeId) ? connectionId : hello.NodeId;
        _registry.Connected(new ProxyStatus
        {
            ConnectionId = connectionId,
            NodeId = nodeId,
            Role = hello.Role,
            Gateway = gateway,
            ConnectedAt = _time.GetUtcNow(),
            AckedVersion = NullIfEmpty(hello.LastVersion),
            Principal = caller.Principal,
            Peer = context.Peer,
        });
        LogConnected(nodeId, connectionId, gateway, caller.Principal);
        var inProcess = hello.ProcessToken == InProcessSnapshots.ProcessToken;
        var parked = new List<string>();
        try
        {
            var reader = ReadAcksAsync(requestStream, connectionId, nodeId, ct);
            string? sent = null;
            while (!ct.IsCancellationRequested)
            {
                var next = _cache.NextChange;
                var current = _cache.Get(gateway);
                if (current.Version != sent)
                {
                    sent = current.Version;
                    var nonce = Guid.NewGuid().ToString("n");
                    var message = new SnapshotMessage { Version = current.Version, Nonce = nonce };
                    if (inProcess)
                    {
                        // A proxy in this process shares the immutable IR (see InProcessSnapshots);
                        // it takes each one when it reads the message, in order.
                        parked.RemoveAll(n => !InProcessSnapshots.IsParked(n));
                        parked.Add(nonce);
                        InProcessSnapshots.Park(nonce, current.Ir);
                        message.InProcess = true;
                    }
                    else
                    {
                        message.SnapshotJson = ByteString.CopyFrom(current.Json);
                    }

                    await responseStream.WriteAsync(message, ct).ConfigureAwait(false);
                    _registry.Sent(connectionId, current.Version);
                }

                var done = await Task.WhenAny(next, reader).ConfigureAwait(false);
                if (done == reader)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The proxy went away or the server is stopping.
        }
        catch (IOException)
        {
        }
        finally
        {
            foreach (var nonce in parked)
            {
                InProcessSnapshots.Discard(nonce);
            }

            _registry.Disconnected(connectionId);
            LogDisconnected(nodeId, connectionId, gateway);
        }
    }

    private async Task ReadAcksAsync(IAsyncStreamReader<ProxyMessage> requests, string connectionId, string nodeId, CancellationToken ct)
    {
        try
        {
            while (await requests.MoveNext(ct).ConfigureAwait(false))
            {
                var m = requests.Current;
                switch (m.KindCase)
                {
                    case ProxyMessage.KindOneofCase.Ack:
                        _registry.Acked(connectionId, m.Ack.Version);
                        break;
                    case ProxyMessage.KindOneofCase.Nack:
                        _registry.Nack(connectionId, m.Nack.Version, m.Nack.Error);
                        LogNack(nodeId, m.Nack.Version, m.Nack.Error);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (RpcException)
        {
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    // Kubernetes names are at most 253 characters; what a proxy declares is shown by proxy-status and kept
    // while it is connected, so it is bounded like one.
    private const int MaxNameLength = 253;
    private const int MaxLabels = 64;

    private static string? Oversized(Hello hello) =>
        hello.NodeId.Length > MaxNameLength ? "node_id"
        : hello.Namespace.Length > MaxNameLength ? "namespace"
        : hello.Name.Length > MaxNameLength ? "name"
        : hello.Role.Length > MaxNameLength ? "role"
        : hello.LastVersion.Length > MaxNameLength ? "last_version"
        : hello.Labels.Count > MaxLabels || hello.Labels.Any(l => l.Key.Length > MaxNameLength || l.Value.Length > MaxNameLength) ? "labels"
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy {NodeId} ({ConnectionId}) connected for {Gateway} as {Principal}")]
    private partial void LogConnected(string nodeId, string connectionId, string gateway, string principal);

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy {NodeId} ({ConnectionId}) for {Gateway} disconnected")]
    private partial void LogDisconnected(string nodeId, string connectionId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refused a distribution stream from {Peer}: {Reason}")]
    private partial void LogRefused(string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy {NodeId} rejected version {Version}: {Error}")]
    private partial void LogNack(string nodeId, string version, string error);
}
