using System.Text.RegularExpressions;
using Weft.Ir;

namespace Weft.Routing;

/// <summary>
/// Compiles user regular expressions once per snapshot. Patterns are RE2 and matches are full matches
/// (as Envoy's RE2 full match), culture-invariant, on .NET's non-backtracking engine only
/// (<see cref="Re2Syntax"/>): linear in the input, so no timeout is needed and none can misroute.
/// </summary>
internal sealed class RegexFactory
{
    // The same pattern on many routes (common with generated config) compiles once.
    private readonly Dictionary<string, Regex> _cache = new(StringComparer.Ordinal);

    // The previous table's regexes: a config change recompiles only the patterns that are new.
    // Building a regex (NonBacktracking especially) costs about a millisecond, so with hundreds of
    // regex matches recompiling them all dominated every snapshot apply. Regex instances are
    // immutable and thread-safe, so sharing them between the old and the new table is safe; the old
    // table's dictionary is no longer written once that table is built.
    private readonly IReadOnlyDictionary<string, Regex>? _reuse;

    public RegexFactory(IReadOnlyDictionary<string, Regex>? reuse = null)
    {
        _reuse = reuse;
    }

    /// <summary>Every pattern this factory handed out, for the next table to reuse.</summary>
    public IReadOnlyDictionary<string, Regex> Compiled => _cache;

    /// <summary>Carries the regexes of a route whose compiled matcher is reused over to this table.</summary>
    public void Keep(Ir.MatchIr match)
    {
        if (match.Path.Type == Ir.PathMatchType.RegularExpression)
        {
            Keep(match.Path.Value);
        }

        foreach (var m in match.Headers)
        {
            if (m.Type == Ir.StringMatchType.RegularExpression)
            {
                Keep(m.Value);
            }
        }

        foreach (var m in match.QueryParams)
        {
            if (m.Type == Ir.StringMatchType.RegularExpression)
            {
                Keep(m.Value);
            }
        }
    }

    private void Keep(string pattern)
    {
        if (!_cache.ContainsKey(pattern) && _reuse is not null && _reuse.TryGetValue(pattern, out var regex))
        {
            _cache[pattern] = regex;
        }
    }

    /// <summary>Returns the compiled full-match regex, or null with <paramref name="error"/> set.</summary>
    public Regex? Create(string pattern, out string? error)
    {
        error = null;
        if (_cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        if (_reuse is not null && _reuse.TryGetValue(pattern, out cached))
        {
            _cache[pattern] = cached;
            return cached;
        }

        // RE2 only, translated for .NET's non-backtracking engine; there is no backtracking fallback, so
        // matching is linear in the input whatever the pattern.
        var regex = Re2Syntax.TryCreate(pattern, out error);
        if (regex is null)
        {
            return null;
        }

        // Pay engine construction and JIT at compile time, not on the first request that needs it.
        IsMatch(regex, "/");
        _cache[pattern] = regex;
        return regex;
    }

    public static bool IsMatch(Regex regex, ReadOnlySpan<char> input) => regex.IsMatch(input);
}
