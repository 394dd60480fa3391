using Weft.Ir;

namespace Weft.Translation;

/// <summary>A route entry with what precedence needs beyond the IR: the route's age and identity.</summary>
internal sealed record RankedRoute(RouteIr Route, DateTime? CreationTimestamp)
{
    // Built on the first comparison that gets this far, then kept: a sort may ask O(log n) times.
    public string RouteId => field ??= $"{Route.RouteNamespace}/{Route.RouteName}";
}

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

    public int Compare(RankedRoute? x, RankedRoute? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return 1;
        }

        if (y is null)
        {
            return -1;
        }

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
        c = string.CompareOrdinal(x.RouteId, y.RouteId);
        if (c != 0) return c;
        c = x.Route.RuleIndex.CompareTo(y.Route.RuleIndex);
        if (c != 0) return c;
        return x.Route.MatchIndex.CompareTo(y.Route.MatchIndex);
    }

    private static int Rank(PathMatchType type) => type switch
    {
        PathMatchType.Exact => 0,
        PathMatchType.RegularExpression => 1,
        _ => 2,
    };
}
