using Weft.Ir;

namespace Weft.Translation;

/// <summary>A route entry with what precedence needs beyond the IR: the route's age and identity.</summary>
/// <remarks>A struct: a translation ranks every route of every virtual host, thousands per change.</remarks>
internal readonly record struct RankedRoute(RouteIr Route, DateTime? CreationTimestamp);

/// <summary>
/// The Gateway API's match precedence within one virtual host, most specific first:
/// <list type="number">
/// <item>path type: Exact, then RegularExpression, then PathPrefix. The spec leaves regular
/// expressions implementation-specific; Weft (like Envoy Gateway) ranks them between Exact and
/// PathPrefix, longer patterns first, so a regex is never shadowed by a prefix such as "/";</item>
/// <item>longer path value first (the spec's "largest number of characters" for prefixes);</item>
/// <item>a method match before none;</item>
/// <item>more header matches first;</item>
/// <item>more query parameter matches first;</item>
/// <item>the oldest route (creationTimestamp; a route without one counts as newest);</item>
/// <item>"namespace/name" alphabetically;</item>
/// <item>rule index, then match index.</item>
/// </list>
/// </summary>
internal sealed class RoutePrecedence : IComparer<RankedRoute>
{
    public static RoutePrecedence Instance { get; } = new();

    public int Compare(RankedRoute x, RankedRoute y)
    {
        var a = x.Route.Match;
        var b = y.Route.Match;
        var c = Rank(a.Path.Type).CompareTo(Rank(b.Path.Type));
        if (c != 0) return c;
        c = b.Path.Value.Length.CompareTo(a.Path.Value.Length);
        if (c != 0) return c;
        c = (b.Method is not null).CompareTo(a.Method is not null);
        if (c != 0) return c;
        c = b.Headers.Length.CompareTo(a.Headers.Length);
        if (c != 0) return c;
        c = b.QueryParams.Length.CompareTo(a.QueryParams.Length);
        if (c != 0) return c;
        c = (x.CreationTimestamp ?? DateTime.MaxValue).CompareTo(y.CreationTimestamp ?? DateTime.MaxValue);
        if (c != 0) return c;
        c = CompareIds(x.Route, y.Route);
        if (c != 0) return c;
        c = x.Route.RuleIndex.CompareTo(y.Route.RuleIndex);
        if (c != 0) return c;
        return x.Route.MatchIndex.CompareTo(y.Route.MatchIndex);
    }

    // Orders "namespace/name" as one ordinal string, without building it.
    private static int CompareIds(RouteIr x, RouteIr y)
    {
        var a = x.RouteNamespace.Length + 1 + x.RouteName.Length;
        var b = y.RouteNamespace.Length + 1 + y.RouteName.Length;
        for (var i = 0; i < Math.Min(a, b); i++)
        {
            var c = At(x, i).CompareTo(At(y, i));
            if (c != 0)
            {
                return c;
            }
        }

        return a.CompareTo(b);
    }

    private static char At(RouteIr r, int i) =>
        i < r.RouteNamespace.Length ? r.RouteNamespace[i]
        : i == r.RouteNamespace.Length ? '/'
        : r.RouteName[i - r.RouteNamespace.Length - 1];

    private static int Rank(PathMatchType type) => type switch
    {
        PathMatchType.Exact => 0,
        PathMatchType.RegularExpression => 1,
        _ => 2,
    };
}
