namespace Weft.Translation;

/// <summary>
/// Pass 3c. The GRPCRoute spec's rule between the two HTTP route kinds: when an HTTPRoute and a
/// GRPCRoute are attached to one listener and their hostnames there intersect, exactly one of them
/// is accepted — the oldest (creationTimestamp), then the first by "namespace/name". The other is
/// detached from that listener and, when none of the listeners its parentRef selects keeps it,
/// that parent gets Accepted=False (HostnameConflict). Merging the two kinds' rules is forbidden
/// by the spec, so the loser is refused rather than blended in.
/// </summary>
internal static class RouteKindConflicts
{
    public static void Resolve(List<GatewayState> gateways)
    {
        foreach (var gateway in gateways)
        {
            var losers = new Dictionary<HttpRouteState, List<string>>();
            foreach (var listener in gateway.Listeners)
            {
                // The rule is only about routes of different kinds; a listener that serves one kind
                // (the common case, thousands of HTTPRoutes) has nothing to resolve.
                if (!HasBothKinds(listener))
                {
                    continue;
                }

                var ordered = listener.Attached.Values
                    .OrderBy(a => a.Route.CreationTimestamp ?? DateTime.MaxValue)
                    .ThenBy(a => a.Route.Id, StringComparer.Ordinal)
                    .ThenBy(a => a.Route.Kind, StringComparer.Ordinal)
                    .ToList();
                var byKind = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                for (var i = 0; i < ordered.Count; i++)
                {
                    if (!byKind.TryGetValue(ordered[i].Route.Kind, out var positions))
                    {
                        byKind[ordered[i].Route.Kind] = positions = [];
                    }

                    positions.Add(i);
                }

                var rejected = new HashSet<AttachedRoute>();
                for (var i = 0; i < ordered.Count; i++)
                {
                    var winner = ordered[i];
                    if (rejected.Contains(winner))
                    {
                        continue;
                    }

                    // Only routes of another kind, younger than the winner: h x g pairs, not n².
                    foreach (var (kind, positions) in byKind)
                    {
                        if (kind == winner.Route.Kind)
                        {
                            continue;
                        }

                        var start = positions.BinarySearch(i + 1);
                        for (var p = start < 0 ? ~start : start; p < positions.Count; p++)
                        {
                            var other = ordered[positions[p]];
                            if (rejected.Contains(other) || !Intersect(winner.Hostnames, other.Hostnames))
                            {
                                continue;
                            }

                            rejected.Add(other);
                            if (!losers.TryGetValue(other.Route, out var why))
                            {
                                losers[other.Route] = why = [];
                            }

                            why.Add($"listener {listener.Name} already serves {winner.Route.Kind} {winner.Route.Id} for intersecting hostnames (the older route wins)");
                        }
                    }
                }

                foreach (var loser in rejected)
                {
                    listener.Attached.Remove(loser.Route.AttachmentKey);
                }
            }

            foreach (var (route, why) in losers)
            {
                Reject(gateway, route, why);
            }
        }
    }

    /// <summary>Parents of this Gateway that no longer keep the route on any listener they select are no longer accepted.</summary>
    private static void Reject(GatewayState gateway, HttpRouteState route, List<string> why)
    {
        for (var p = 0; p < route.Parents.Count; p++)
        {
            var parent = route.Parents[p];
            var pr = parent.ParentRef;
            if (!parent.Accepted || pr.Name != gateway.Name || pr.Namespace != gateway.Namespace)
            {
                continue;
            }

            var kept = gateway.Listeners.Any(l =>
                (pr.SectionName is null || l.Name == pr.SectionName)
                && (pr.Port is null || l.Listener.Port == pr.Port)
                && l.Attached.ContainsKey(route.AttachmentKey));
            if (!kept)
            {
                route.Parents[p] = parent with { Accepted = false, Reason = Weft.Api.GatewayApi.Reasons.HostnameConflict, Message = string.Join("; ", why) };
            }
        }
    }

    private static bool HasBothKinds(ListenerState listener)
    {
        string? kind = null;
        foreach (var attached in listener.Attached.Values)
        {
            if (kind is null)
            {
                kind = attached.Route.Kind;
            }
            else if (!string.Equals(kind, attached.Route.Kind, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // "*" is the virtual host of a route without hostnames on a listener without one: every host.
    private static bool Intersect(List<string> a, List<string> b) =>
        a.Any(x => b.Any(y => x == "*" || y == "*" || HostnameIntersection.Intersect(x, y) is not null));
}
