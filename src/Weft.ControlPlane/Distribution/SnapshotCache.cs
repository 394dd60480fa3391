using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.ControlPlane.Distribution;

/// <summary>One gateway's current snapshot as sent on the wire.</summary>
public sealed record VersionedSnapshot(string Version, GatewaySnapshotIr Ir, byte[] Json);

/// <summary>
/// The latest snapshot per gateway ("ns/name"), each with a version that changes only when the
/// content does (compared as serialized bytes), and a signal that streams wait on.
/// </summary>
public sealed class SnapshotCache
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, VersionedSnapshot> _entries = ImmutableDictionary<string, VersionedSnapshot>.Empty;
    private TaskCompletionSource _changed = NewSignal();
    private long _counter;

    public ImmutableDictionary<string, VersionedSnapshot> Entries => Volatile.Read(ref _entries);

    /// <summary>Completes at the next change; take it before reading <see cref="Get"/> to miss nothing.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    /// <summary>The snapshot for a gateway; a gateway that does not exist (yet) gets an empty one, so its proxy serves nothing.</summary>
    public VersionedSnapshot Get(string gatewayKey)
    {
        if (Entries.TryGetValue(gatewayKey, out var entry))
        {
            return entry;
        }

        var empty = gatewayKey.StartsWith(SnapshotKeys.ForSidecar(""), StringComparison.Ordinal)
            ? new GatewaySnapshotIr { GatewayNamespace = gatewayKey[SnapshotKeys.ForSidecar("").Length..], GatewayName = "sidecar" }
            : new GatewaySnapshotIr { GatewayNamespace = gatewayKey[..Math.Max(gatewayKey.IndexOf('/', StringComparison.Ordinal), 0)], GatewayName = gatewayKey[(gatewayKey.IndexOf('/', StringComparison.Ordinal) + 1)..] };
        return new VersionedSnapshot("0", empty, IrJson.Serialize(empty));
    }

    public void Update(IReadOnlyDictionary<string, GatewaySnapshotIr> gateways)
    {
        TaskCompletionSource? fire = null;
        lock (_gate)
        {
            var current = _entries;
            var builder = ImmutableDictionary.CreateBuilder<string, VersionedSnapshot>(StringComparer.Ordinal);
            var changed = current.Count != gateways.Count;
            foreach (var (key, ir) in gateways)
            {
                var json = IrJson.Serialize(ir);
                if (current.TryGetValue(key, out var old) && old.Json.AsSpan().SequenceEqual(json))
                {
                    builder[key] = old;
                    continue;
                }

                builder[key] = new VersionedSnapshot((++_counter).ToString(), ir, json);
                changed = true;
            }

            if (!changed)
            {
                return;
            }

            Volatile.Write(ref _entries, builder.ToImmutable());
            fire = _changed;
            _changed = NewSignal();
        }

        fire.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
