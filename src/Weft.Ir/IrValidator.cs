using System.Runtime.CompilerServices;

namespace Weft.Ir;

/// <summary>What a proxy checks before it applies a snapshot; any error means NACK, nothing half-applied.</summary>
internal static class IrValidator
{
    public static IReadOnlyList<string> Validate(GatewaySnapshotIr snapshot)
    {
        var errors = new List<string>();
        var clusters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cluster in snapshot.Clusters)
        {
            if (!clusters.Add(cluster.Name))
            {
                errors.Add($"cluster {cluster.Name} is defined twice");
            }

            // The SNI is what the handshake names and, without SANs, what the certificate must carry.
            if (cluster.Tls is { } tls && string.IsNullOrEmpty(tls.Sni))
            {
                errors.Add($"cluster {cluster.Name}: upstream TLS needs an SNI");
            }
        }

        var binds = new HashSet<(string, int)>();
        foreach (var port in snapshot.Ports)
        {
            if (!binds.Add((port.BindAddress, port.BindPort)))
            {
                errors.Add($"port {port.Port}: {port.BindAddress}:{port.BindPort} is bound twice");
            }

            if (port.BindPort is < 0 or > 65535)
            {
                errors.Add($"port {port.Port}: bind port {port.BindPort} is out of range");
            }

            foreach (var listener in port.Listeners)
            {
                if (port.Protocol == ListenerProtocol.Https && listener.Certificate is null)
                {
                    errors.Add($"listener {listener.Name}: HTTPS without a certificate");
                }

                foreach (var host in listener.VirtualHosts)
                {
                    foreach (var route in host.Routes)
                    {
                        ValidateRoute(route, clusters, errors);
                    }
                }
            }
        }

        return errors;
    }

    // Routes whose regular expressions were checked and found valid. Their IR is immutable and the
    // control plane hands the same instances over from one snapshot to the next, so a snapshot of
    // thousands of routes parses only the patterns of the routes that changed. Weak keys: an entry
    // lives as long as its route's IR.
    private static readonly ConditionalWeakTable<RouteIr, object> RegexesChecked = new();

    private static void ValidateRoute(RouteIr route, HashSet<string> clusters, List<string> errors)
    {
        if (HasRegex(route.Match) && !RegexesChecked.TryGetValue(route, out _))
        {
            CheckRegexes(route, errors);
        }

        foreach (var filter in route.Filters)
        {
            if (filter is not RequestMirrorIr mirror)
            {
                continue;
            }

            if (!clusters.Contains(mirror.Cluster))
            {
                errors.Add($"{Where(route)}: mirror cluster {mirror.Cluster} is not defined");
            }

            if (mirror.Denominator < 1 || mirror.Numerator < 0 || mirror.Numerator > mirror.Denominator)
            {
                errors.Add($"{Where(route)}: mirror fraction {mirror.Numerator}/{mirror.Denominator} is not between 0 and 1");
            }
        }

        foreach (var backend in route.Backends)
        {
            if (backend.Cluster is not null && !clusters.Contains(backend.Cluster))
            {
                errors.Add($"{Where(route)}: backend cluster {backend.Cluster} is not defined");
            }

            if (backend.Weight < 0)
            {
                errors.Add($"{Where(route)}: negative weight");
            }
        }
    }

    private static bool HasRegex(MatchIr match)
    {
        if (match.Path.Type == PathMatchType.RegularExpression)
        {
            return true;
        }

        foreach (var m in match.Headers)
        {
            if (m.Type == StringMatchType.RegularExpression)
            {
                return true;
            }
        }

        foreach (var m in match.QueryParams)
        {
            if (m.Type == StringMatchType.RegularExpression)
            {
                return true;
            }
        }

        return false;
    }

    // Built only for a message (validation runs over every route of every snapshot), and static so
    // that no closure is allocated per route.
    private static string Where(RouteIr route) => $"route {route.RouteNamespace}/{route.RouteName} rule {route.RuleIndex}";

    // Kept apart from ValidateRoute: its lambdas capture the route, and a method with capturing
    // lambdas allocates their closure on entry, whether they run or not.
    private static void CheckRegexes(RouteIr route, List<string> errors)
    {
        var before = errors.Count;
        if (route.Match.Path.Type == PathMatchType.RegularExpression)
        {
            CheckRegex(route.Match.Path.Value, () => Where(route) + " path", errors);
        }

        foreach (var m in route.Match.Headers)
        {
            if (m.Type == StringMatchType.RegularExpression)
            {
                CheckRegex(m.Value, () => $"{Where(route)} header {m.Name}", errors);
            }
        }

        foreach (var m in route.Match.QueryParams)
        {
            if (m.Type == StringMatchType.RegularExpression)
            {
                CheckRegex(m.Value, () => $"{Where(route)} query parameter {m.Name}", errors);
            }
        }

        if (errors.Count == before)
        {
            RegexesChecked.TryAdd(route, route);
        }
    }

    // The IR's regexes are RE2, and the proxy matches them in linear time only: a pattern that is not RE2
    // (a backreference, a lookaround…) NACKs the snapshot here rather than reaching a backtracking engine.
    // Only the syntax is checked (cheap, no engine built); whether .NET's non-backtracking engine takes an
    // RE2 pattern is settled when the route table compiles it, which fails the apply just the same.
    private static void CheckRegex(string pattern, Func<string> where, List<string> errors)
    {
        if (!Re2Syntax.TryTranslate(pattern, out _, out var problem))
        {
            errors.Add($"{where()}: invalid regular expression, not RE2: {problem}");
        }
    }
}
