using System.Text.RegularExpressions;
using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled header or query parameter match: the value exact (case-sensitive) or a full-match regex.</summary>
public sealed class StringMatcher
{
    private readonly Regex? _regex;

    private StringMatcher(string name, StringMatchType type, string value, Regex? regex)
    {
        Name = name;
        Type = type;
        Value = value;
        _regex = regex;
    }

    public string Name { get; }
    public StringMatchType Type { get; }
    public string Value { get; }

    internal static StringMatcher? Compile(StringMatchIr ir, bool lowerName, RegexFactory regexes, out string? error)
    {
        error = null;
        var name = lowerName ? ir.Name.ToLowerInvariant() : ir.Name;
        if (ir.Type == StringMatchType.Exact)
        {
            return new StringMatcher(name, ir.Type, ir.Value, null);
        }

        var regex = regexes.Create(ir.Value, out error);
        return regex is null ? null : new StringMatcher(name, ir.Type, ir.Value, regex);
    }

    public bool Matches(string? value) =>
        value is not null && (_regex is null
            ? string.Equals(value, Value, StringComparison.Ordinal)
            : RegexFactory.IsMatch(_regex, value));

    /// <summary>What was expected, for explain: "'premium'" or "to match 'p.*'".</summary>
    public string Expectation => _regex is null ? $"'{Value}'" : $"to match '{Value}'";
}
