using Weft.Ir;
using Weft.Routing;

namespace Weft.Proxy.Filters;

/// <summary>
/// A compiled path modifier (URLRewrite or RequestRedirect): the full path, or the matched prefix
/// replaced — using the route's own compiled prefix, so rewrite and match cannot disagree.
/// </summary>
internal sealed class PathRewrite
{
    private readonly PathModifierType _type;
    private readonly string _value;
    private readonly PathMatcher _matched;

    private PathRewrite(PathModifierType type, string value, PathMatcher matched)
    {
        _type = type;
        _value = value;
        _matched = matched;
    }

    public static PathRewrite? Compile(PathModifierIr? ir, RouteModel route, string where, List<string> errors)
    {
        if (ir is null)
        {
            return null;
        }

        if (ir.Type == PathModifierType.ReplacePrefixMatch && route.Matcher.Path.Type == PathMatchType.RegularExpression)
        {
            errors.Add($"{where}: ReplacePrefixMatch needs a PathPrefix (or Exact) path match, not RegularExpression");
            return null;
        }

        return new PathRewrite(ir.Type, ir.Value, route.Matcher.Path);
    }

    public string Apply(string path) =>
        _type == PathModifierType.ReplaceFullPath ? _value : _matched.ReplacePrefix(path, _value);
}
