using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using Weft.Ir.Wire;

namespace Weft.ControlPlane.Distribution;

/// <summary>
/// The control plane's side of the stream: after the proxy's Hello, send it the current snapshot
/// of its gateway and every later version; record each ACK and NACK. A NACKed version is not
/// resent until the content changes again (the proxy keeps serving what it had).
/// </summary>
public sealed partial class DistributionService : Ir.Wire.Distribution.DistributionBase
{
    private readonly SnapshotCache _cache;
    private readonly ProxyRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<DistributionService> _logger;

    public DistributionService(SnapshotCache cache, ProxyRegistry registry, TimeProvider time, ILogger<DistributionService> logger)
    {
        _cache = cache;
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    public override async Task Stream(IAsyncStreamReader<ProxyMessage> requestStream, IServerStreamWriter<SnapshotMessage> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false) || requestStream.Current.KindCase != ProxyMessage.KindOneofCase.Hello)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "the first message on the stream must be Hello"));
        }

        var hello = requestStream.Current.Hello;
        var gateway = SnapshotKeys.For(hello.Role, hello.Namespace, hello.Name);
        var nodeId = string.IsNullOrEmpty(hello.NodeId) ? Guid.NewGuid().ToString("n") : hello.NodeId;
        _registry.Connected(new ProxyStatus { NodeId = nodeId, Role = hello.Role, Gateway = gateway, ConnectedAt = _time.GetUtcNow(), AckedVersion = NullIfEmpty(hello.LastVersion) });
        LogConnected(nodeId, gateway);
        var inProcess = hello.ProcessToken == InProcessSnapshots.ProcessToken;
        var parked = new List<string>();
        try
        {
            var reader = ReadAcksAsync(requestStream, nodeId, ct);
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
                    _registry.Sent(nodeId, current.Version);
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

            _registry.Disconnected(nodeId);
            LogDisconnected(nodeId, gateway);
        }
    }

    private async Task ReadAcksAsync(IAsyncStreamReader<ProxyMessage> requests, string nodeId, CancellationToken ct)
    {
        try
        {
            while (await requests.MoveNext(ct).ConfigureAwait(false))
            {
                var m = requests.Current;
                switch (m.KindCase)
                {
                    case ProxyMessage.KindOneofCase.Ack:
                        _registry.Acked(nodeId, m.Ack.Version);
                        break;
                    case ProxyMessage.KindOneofCase.Nack:
                        _registry.Nack(nodeId, m.Nack.Version, m.Nack.Error);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy {NodeId} connected for gateway {Gateway}")]
    private partial void LogConnected(string nodeId, string gateway);

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy {NodeId} for gateway {Gateway} disconnected")]
    private partial void LogDisconnected(string nodeId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy {NodeId} rejected version {Version}: {Error}")]
    private partial void LogNack(string nodeId, string version, string error);
}
