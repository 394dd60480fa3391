using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Weft.ControlPlane.Distribution;

/// <summary>What the control plane knows of one connected proxy, as `weft proxy-status` shows it.</summary>
public sealed record ProxyStatus
{
    /// <summary>The control plane's own name for the stream; the registry's key. A proxy cannot choose it.</summary>
    public required string ConnectionId { get; init; }

    /// <summary>What the proxy says it is called (not trusted: two proxies may claim the same id).</summary>
    public required string NodeId { get; init; }
    public required string Role { get; init; }
    public required string Gateway { get; init; }
    public required DateTimeOffset ConnectedAt { get; init; }

    /// <summary>The credential the stream was authenticated with ("admin" or "proxy-token SCOPE").</summary>
    public string Principal { get; init; } = "";

    /// <summary>The peer's transport address, as gRPC reports it.</summary>
    public string Peer { get; init; } = "";
    public string? SentVersion { get; init; }
    public string? AckedVersion { get; init; }
    public string? NackedVersion { get; init; }
    public string? LastError { get; init; }
    public bool Connected { get; init; } = true;
}

/// <summary>
/// Connected proxies and their ACK/NACK state, keyed by the authenticated stream they came on, never
/// by the node id they declare: a second proxy announcing someone else's id gets an entry of its own,
/// so its NACKs are its own and its leaving removes only itself.
/// </summary>
public sealed class ProxyRegistry
{
    private readonly ConcurrentDictionary<string, ProxyStatus> _proxies = new(StringComparer.Ordinal);

    // Kept here, not in DistributionService: gRPC makes a service instance per call.
    private long _connections;
    private int _streams;

    public event Action<ProxyStatus>? Nacked;

    public ImmutableArray<ProxyStatus> All => [.. _proxies.Values
        .OrderBy(p => p.Gateway, StringComparer.Ordinal)
        .ThenBy(p => p.NodeId, StringComparer.Ordinal)
        .ThenBy(p => p.ConnectionId, StringComparer.Ordinal)];

    /// <summary>A name for a new stream, unique in this control plane's lifetime.</summary>
    public string NextConnectionId() => "c" + Interlocked.Increment(ref _connections).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Takes one of <paramref name="max"/> stream slots; false when all are taken.</summary>
    public bool TryOpenStream(int max)
    {
        if (Interlocked.Increment(ref _streams) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _streams);
        return false;
    }

    /// <summary>Gives back a slot taken by <see cref="TryOpenStream"/>.</summary>
    public void CloseStream() => Interlocked.Decrement(ref _streams);

    public void Connected(ProxyStatus status) => _proxies[status.ConnectionId] = status;

    public void Disconnected(string connectionId) => _proxies.TryRemove(connectionId, out _);

    public void Sent(string connectionId, string version) => Update(connectionId, p => p with { SentVersion = version });

    public void Acked(string connectionId, string version) => Update(connectionId, p => p with { AckedVersion = version, LastError = null, NackedVersion = null });

    public void Nack(string connectionId, string version, string error)
    {
        Update(connectionId, p => p with { NackedVersion = version, LastError = error });
        if (_proxies.TryGetValue(connectionId, out var p))
        {
            Nacked?.Invoke(p);
        }
    }

    private void Update(string connectionId, Func<ProxyStatus, ProxyStatus> change)
    {
        while (_proxies.TryGetValue(connectionId, out var old))
        {
            if (_proxies.TryUpdate(connectionId, change(old), old))
            {
                return;
            }
        }
    }
}
