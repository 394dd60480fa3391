using System.Collections.Concurrent;

namespace Weft.Ir;

/// <summary>
/// The hand-over of snapshots between a control plane and proxies that run in the same process
/// (`weft up`'s gateways, `weft run`'s sidecars). The stream, versions, ACKs and NACKs stay exactly
/// as for a remote proxy; only the payload skips the JSON round trip: the control plane parks the
/// immutable IR under the message's nonce and the proxy takes it. With thousands of routes that is
/// a 4 MiB decode (and its garbage) less per change on the propagation path.
/// </summary>
public static class InProcessSnapshots
{
    private static readonly ConcurrentDictionary<string, GatewaySnapshotIr> Parked = new(StringComparer.Ordinal);

    /// <summary>Identifies this process; a proxy sends it in its Hello.</summary>
    public static string ProcessToken { get; } = Guid.NewGuid().ToString("n");

    /// <summary>Parks a snapshot for the proxy that will receive the message with this nonce.</summary>
    public static void Park(string nonce, GatewaySnapshotIr snapshot) => Parked[nonce] = snapshot;

    /// <summary>Takes the snapshot parked under the nonce (once).</summary>
    public static bool TryTake(string nonce, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GatewaySnapshotIr? snapshot) =>
        Parked.TryRemove(nonce, out snapshot);

    public static bool IsParked(string nonce) => Parked.ContainsKey(nonce);

    /// <summary>Drops a snapshot nobody took (the proxy went away or was sent a newer one).</summary>
    public static void Discard(string nonce) => Parked.TryRemove(nonce, out _);
}
