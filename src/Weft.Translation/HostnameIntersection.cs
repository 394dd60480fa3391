namespace Weft.Translation;

/// <summary>
/// Gateway API hostname rules. A wildcard "*.example.com" matches "foo.example.com" and
/// "a.b.example.com" but not "example.com". Names compare case-insensitively and are emitted lower-case.
/// </summary>
internal static class HostnameIntersection
{
    /// <summary>The virtual host name meaning "any host".</summary>
    public const string Any = "*";

    /// <summary>
    /// The hostnames a route serves on a listener: null listener hostname and no route hostnames → ["*"];
    /// no route hostnames → [listener]; no listener hostname → the route's; otherwise each pairwise
    /// intersection. Empty means the route does not attach to that listener (NoMatchingListenerHostname).
    /// Result is de-duplicated, in the route's order.
    /// </summary>
    public static IReadOnlyList<string> ForRoute(string? listenerHostname, IReadOnlyList<string>? routeHostnames)
    {
        var listener = Normalize(listenerHostname);
        if (routeHostnames is null || routeHostnames.Count == 0)
        {
            return [listener ?? Any];
        }

        var result = new List<string>(routeHostnames.Count);
        for (var i = 0; i < routeHostnames.Count; i++)
        {
            var route = Normalize(routeHostnames[i]);
            if (route is null)
            {
                continue;
            }

            var h = listener is null ? route : Intersect(listener, route);
            if (h is not null && !result.Contains(h))
            {
                result.Add(h);
            }
        }

        return result;
    }

    /// <summary>The intersection of two hostnames (exact or "*." wildcards), or null when they share no host.</summary>
    public static string? Intersect(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var aWild = IsWildcard(a);
        var bWild = IsWildcard(b);
        if (!aWild && !bWild)
        {
            return a == b ? a : null;
        }

        if (aWild && !bWild)
        {
            return WildcardMatches(a, b) ? b : null;
        }

        if (!aWild && bWild)
        {
            return WildcardMatches(b, a) ? a : null;
        }

        // Both wildcards: the more specific one, if it lies inside the other.
        if (a == b)
        {
            return a;
        }

        if (a.EndsWith(b[1..], StringComparison.Ordinal))
        {
            return a;
        }

        if (b.EndsWith(a[1..], StringComparison.Ordinal))
        {
            return b;
        }

        return null;
    }

    /// <summary>Does the wildcard "*.suffix" match the exact name? Needs at least one label before the suffix.</summary>
    public static bool WildcardMatches(string wildcard, string host)
    {
        var suffix = wildcard[1..]; // ".example.com"
        return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsWildcard(string hostname) => hostname.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// Orders hostnames most specific first: exact names (alphabetically), then wildcards with the
    /// longest suffix first, then "*" (or null, meaning any).
    /// </summary>
    public static int CompareSpecificity(string? a, string? b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        if (ra == 1)
        {
            var c = b!.Length.CompareTo(a!.Length);
            if (c != 0)
            {
                return c;
            }
        }

        return string.CompareOrdinal(a, b);

        static int Rank(string? h) => h is null || h == Any ? 2 : IsWildcard(h) ? 1 : 0;
    }

    private static string? Normalize(string? hostname) =>
        string.IsNullOrEmpty(hostname) ? null : hostname.ToLowerInvariant();
}
