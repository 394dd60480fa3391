using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.Routing;

/// <summary>
/// Weighted choice among a route's backends over cumulative weights. Weight 0 is never chosen; when
/// every weight is 0 (or there are no backends) there is nothing to choose and the route answers 500.
/// Invalid backends (no cluster) keep their share: they are chosen and answer 500 for it.
/// </summary>
public sealed class BackendPicker
{
    private readonly long[] _cumulative;
    private readonly int[] _indices;

    public BackendPicker(ImmutableArray<BackendIr> backends)
    {
        var cumulative = new List<long>(backends.Length);
        var indices = new List<int>(backends.Length);
        long total = 0;
        for (var i = 0; i < backends.Length; i++)
        {
            if (backends[i].Weight > 0)
            {
                total += backends[i].Weight;
                cumulative.Add(total);
                indices.Add(i);
            }
        }

        _cumulative = [.. cumulative];
        _indices = [.. indices];
        TotalWeight = total;
    }

    public long TotalWeight { get; }

    /// <summary>False when no backend can be chosen (none, or all weights 0).</summary>
    public bool HasBackends => _indices.Length > 0;

    /// <summary>The index into the route's backends, or -1 when there is none to choose.</summary>
    public int Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _indices.Length switch
        {
            0 => -1,
            1 => _indices[0],
            _ => Pick(random.NextInt64(TotalWeight)),
        };
    }

    /// <summary>The backend owning <paramref name="draw"/> in [0, <see cref="TotalWeight"/>).</summary>
    public int Pick(long draw)
    {
        if (_indices.Length == 0)
        {
            return -1;
        }

        var at = Array.BinarySearch(_cumulative, draw);

        // An exact hit on a cumulative bound belongs to the next slot: bounds are exclusive.
        at = at >= 0 ? at + 1 : ~at;
        return _indices[Math.Min(at, _indices.Length - 1)];
    }
}
