using System.Text.RegularExpressions;

namespace Weft.Routing;

/// <summary>
/// Compiles user regular expressions once per snapshot. Matches are full matches (as Envoy's RE2
/// full match), culture-invariant and bounded: non-backtracking where the pattern allows it, and a
/// match timeout either way so one pathological pattern cannot stall the proxy.
/// </summary>
internal sealed class RegexFactory
{
    // Generous on purpose: a non-backtracking match is linear, so the timeout only bounds the
    // backtracking fallback. A tight one turns a slow (cold, loaded) machine into wrong routing.
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

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

        // \A and \z rather than ^ and $: '$' also matches before a final newline.
        var anchored = $"\\A(?:{pattern})\\z";
        Regex regex;
        try
        {
            regex = new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            // Back-references and lookarounds need the backtracking engine; the timeout still bounds it.
            try
            {
                regex = new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return null;
            }
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }

        // Pay engine construction and JIT at compile time, not on the first request that needs it.
        IsMatch(regex, "/");
        _cache[pattern] = regex;
        return regex;
    }

    public static bool IsMatch(Regex regex, ReadOnlySpan<char> input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            // A match that takes too long is no match; the route is skipped rather than the request failed.
            return false;
        }
    }
}
