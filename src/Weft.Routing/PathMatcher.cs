using System.Text.RegularExpressions;
using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled path match. The path is compared without the query string, case-sensitively.</summary>
public sealed class PathMatcher
{
    private readonly Regex? _regex;

    private PathMatcher(PathMatchType type, string value, string prefix, Regex? regex)
    {
        Type = type;
        Value = value;
        Prefix = prefix;
        _regex = regex;
    }

    public PathMatchType Type { get; }

    /// <summary>The value as configured.</summary>
    public string Value { get; }

    /// <summary>
    /// For PathPrefix, the prefix without its trailing slash ("/api/" → "/api", "/" → ""): the part of a
    /// matching path that ReplacePrefixMatch replaces. For Exact, the whole path. Empty for regex.
    /// </summary>
    public string Prefix { get; }

    internal static PathMatcher? Compile(PathMatchIr ir, RegexFactory regexes, out string? error)
    {
        error = null;
        switch (ir.Type)
        {
            case PathMatchType.Exact:
                return new PathMatcher(ir.Type, ir.Value, ir.Value, null);
            case PathMatchType.PathPrefix:
                return new PathMatcher(ir.Type, ir.Value, ir.Value.TrimEnd('/'), null);
            case PathMatchType.RegularExpression:
                var regex = regexes.Create(ir.Value, out error);
                return regex is null ? null : new PathMatcher(ir.Type, ir.Value, "", regex);
            default:
                error = $"unknown path match type {ir.Type}";
                return null;
        }
    }

    public bool Matches(string path)
    {
        switch (Type)
        {
            case PathMatchType.Exact:
                return string.Equals(path, Value, StringComparison.Ordinal);
            case PathMatchType.PathPrefix:
                // Element-wise: "/api" matches "/api" and "/api/…", never "/apix".
                return path.StartsWith(Prefix, StringComparison.Ordinal)
                    && (path.Length == Prefix.Length || path[Prefix.Length] == '/');
            default:
                return RegexFactory.IsMatch(_regex!, path);
        }
    }

    /// <summary>
    /// Replaces the matched prefix of <paramref name="path"/> with <paramref name="replacement"/>, as
    /// URLRewrite and RequestRedirect's ReplacePrefixMatch do: "/api/x" with prefix "/api" and
    /// replacement "/v2" → "/v2/x", replacement "/" → "/x". Only valid for a path this matcher matched.
    /// </summary>
    public string ReplacePrefix(string path, string replacement)
    {
        var rest = path.AsSpan(Math.Min(Prefix.Length, path.Length));
        var head = replacement.AsSpan().TrimEnd('/');
        if (rest.IsEmpty)
        {
            return head.IsEmpty ? "/" : replacement;
        }

        return head.IsEmpty ? rest.ToString() : string.Concat(head, rest);
    }

    public override string ToString() => $"{Type} {Value}";
}
