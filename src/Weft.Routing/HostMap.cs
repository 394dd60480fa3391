namespace Weft.Routing;

/// <summary>
/// Host lookup shared by listeners and virtual hosts: exact names first, then "*.suffix" wildcards
/// longest suffix first, then the catch-all (null or "*"). There is no fall-through: the first
/// entry that claims the host wins, whatever it contains.
/// </summary>
internal sealed class HostMap<T>
    where T : class
{
    private readonly Dictionary<string, T> _exact;
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;

    // Suffixes keep their leading dot (".example.com") so EndsWith alone enforces a label boundary.
    private readonly (string Suffix, T Value)[] _wildcards;
    private readonly T? _any;

    public HostMap(IEnumerable<(string? Hostname, T Value)> entries)
    {
        _exact = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        var wildcards = new List<(string, T)>();
        foreach (var (hostname, value) in entries)
        {
            if (hostname is null or "*")
            {
                _any ??= value;
            }
            else if (hostname.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = hostname[1..].TrimEnd('.').ToLowerInvariant();
                if (!wildcards.Exists(w => w.Item1 == suffix))
                {
                    wildcards.Add((suffix, value));
                }
            }
            else
            {
                _exact.TryAdd(hostname.TrimEnd('.').ToLowerInvariant(), value);
            }
        }

        // Stable sort: equal lengths keep IR order.
        _wildcards = [.. wildcards.OrderByDescending(w => w.Item1.Length)];
        _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Finds the entry for an already normalised host (no port, no trailing dot).</summary>
    public T? Find(ReadOnlySpan<char> host)
    {
        if (_exact.Count > 0 && _exactBySpan.TryGetValue(host, out var exact))
        {
            return exact;
        }

        foreach (var (suffix, value) in _wildcards)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return _any;
    }
}
