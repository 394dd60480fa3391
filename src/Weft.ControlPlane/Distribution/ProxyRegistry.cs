using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Weft.ControlPlane.Distribution;

/// <summary>What the control plane knows of one connected proxy, as `weft proxy-status` shows it.</summary>
public sealed record ProxyStatus
{
    public required string NodeId { get; init; }
    public required string Role { get; init; }
    public required string Gateway { get; init; }
    public required DateTimeOffset ConnectedAt { get; init; }
    public string? SentVersion { get; init; }
    public string? AckedVersion { get; init; }
    public string? NackedVersion { get; init; }
    public string? LastError { get; init; }
    public bool Connected { get; init; } = true;
}

/// <summary>Connected proxies and their ACK/NACK state.</summary>
public sealed class ProxyRegistry
{
    private readonly ConcurrentDictionary<string, ProxyStatus> _proxies = new(StringComparer.Ordinal);

    public event Action<ProxyStatus>? Nacked;

    public ImmutableArray<ProxyStatus> All => [.. _proxies.Values.OrderBy(p => p.Gateway, StringComparer.Ordinal).ThenBy(p => p.NodeId, StringComparer.Ordinal)];

    public void Connected(ProxyStatus status) => _proxies[status.NodeId] = status;

    public void Disconnected(string nodeId) => _proxies.TryRemove(nodeId, out _);

    public void Sent(string nodeId, string version) => Update(nodeId, p => p with { SentVersion = version });

    public void Acked(string nodeId, string version) => Update(nodeId, p => p with { AckedVersion = version, LastError = null, NackedVersion = null });

    public void Nack(string nodeId, string version, string error)
    {
        Update(nodeId, p => p with { NackedVersion = version, LastError = error });
        if (_proxies.TryGetValue(nodeId, out var p))
        {
            Nacked?.Invoke(p);
        }
    }

    private void Update(string nodeId, Func<ProxyStatus, ProxyStatus> change)
    {
        while (_proxies.TryGetValue(nodeId, out var old))
        {
            if (_proxies.TryUpdate(nodeId, change(old), old))
            {
                return;
            }
        }
    }
}
