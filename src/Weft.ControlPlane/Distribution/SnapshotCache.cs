using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.ControlPlane.Distribution;

/// <summary>One gateway's current snapshot and its version.</summary>
public sealed class VersionedSnapshot(string version, GatewaySnapshotIr ir)
{
    private byte[]? _json;

    public string Version { get; } = version;
    public GatewaySnapshotIr Ir { get; } = ir;

    /// <summary>
    /// The wire form, serialized on first use: a proxy in the control plane's own process takes the
    /// IR as is, so a `weft up` that serves only its embedded proxy never pays for it.
    /// </summary>
    public byte[] Json => LazyInitializer.EnsureInitialized(ref _json, () => IrJson.Serialize(Ir));
}

/// <summary>
/// The latest snapshot per gateway ("ns/name"), each with a version that changes only when the
/// content does (<see cref="IrContent.Same"/>), and a signal that streams wait on.
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
        return new VersionedSnapshot("0", empty);
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
                if (current.TryGetValue(key, out var old) && IrContent.Same(old.Ir, ir))
                {
                    builder[key] = old;
                    continue;
                }

                builder[key] = new VersionedSnapshot((++_counter).ToString(System.Globalization.CultureInfo.InvariantCulture), ir);
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
