using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// Pass 4. Assembles one Gateway's IR from the programmable listeners and the routes attached to
/// them: one port per distinct listener port, listeners most specific hostname first, virtual
/// hosts (exact, longest wildcard, "*") with routes in precedence order, and the clusters used.
/// </summary>
internal static class IrBuilder
{
    // A virtual host whose routes are the same IR instances, with the same ages, in the same order
    // as in the last translation keeps its IR: no precedence sort, and downstream (the distribution
    // cache's change check, the proxy) sees the very same instance.
    private static VirtualHostIr VirtualHost(TranslationCache? cache, (string Gateway, string Listener, string Host) key, List<RankedRoute> routes)
    {
        if (cache?.PreviousVirtualHost(key) is { } previous && SameRoutes(previous.Inputs, routes))
        {
            cache.KeepVirtualHost(key, previous.Inputs, previous.Ir);
            return previous.Ir;
        }

        var ir = new VirtualHostIr
        {
            Hostname = key.Host,
            Routes = [.. routes.Order(RoutePrecedence.Instance).Select(r => r.Route)],
        };
        cache?.KeepVirtualHost(key, routes, ir);
        return ir;
    }

    private static bool SameRoutes(List<RankedRoute> a, List<RankedRoute> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i].Route, b[i].Route) || a[i].CreationTimestamp != b[i].CreationTimestamp)
            {
                return false;
            }
        }

        return true;
    }

    public static GatewaySnapshotIr Build(TranslationContext context, GatewayState gateway)
    {
        // One entry per cluster, the first target naming it winning (as BuildClusters' DistinctBy
        // would): thousands of routes usually share a handful of clusters.
        var targets = new Dictionary<string, BackendTarget>(StringComparer.Ordinal);
        var ports = ImmutableArray.CreateBuilder<PortIr>();
        foreach (var group in gateway.Listeners.Where(l => l.Programmable).GroupBy(l => l.Listener.Port).OrderBy(g => g.Key))
        {
            var listeners = group
                .OrderBy(l => l.Hostname, Comparer<string?>.Create(HostnameIntersection.CompareSpecificity))
                .Select(l => BuildListener(context, gateway, l, targets))
                .ToImmutableArray();
            ports.Add(new PortIr
            {
                Port = group.Key,
                BindAddress = gateway.BindAddress,
                BindPort = group.Key + context.Options.PortOffset,
                Protocol = group.First().Protocol!.Value,
                Listeners = listeners,
            });
        }

        return new GatewaySnapshotIr
        {
            GatewayNamespace = gateway.Namespace,
            GatewayName = gateway.Name,
            Ports = ports.ToImmutable(),
            Clusters = BackendResolver.BuildClusters(context, targets.Values),
        };
    }

    private static ListenerIr BuildListener(TranslationContext context, GatewayState gateway, ListenerState listener, Dictionary<string, BackendTarget> targets)
    {
        var hosts = new Dictionary<string, List<RankedRoute>>(StringComparer.Ordinal);
        foreach (var attached in listener.Attached.Values)
        {
            var route = attached.Route;
            if (route.AllRulesInvalid)
            {
                continue; // not accepted: not programmed
            }

            // Index loops: the rules are an IReadOnlyList and each rule's lists are ImmutableArrays,
            // which foreach/LINQ over the interfaces would box, once per route per translation.
            for (var r = 0; r < route.Rules.Count; r++)
            {
                foreach (var target in route.Rules[r].Targets)
                {
                    targets.TryAdd(target.ClusterName, target);
                }
            }

            foreach (var hostname in attached.Hostnames)
            {
                if (!hosts.TryGetValue(hostname, out var list))
                {
                    hosts[hostname] = list = [];
                }

                for (var r = 0; r < route.Rules.Count; r++)
                {
                    foreach (var ir in route.Rules[r].Routes)
                    {
                        list.Add(new RankedRoute(ir, route.CreationTimestamp));
                    }
                }
            }
        }

        return new ListenerIr
        {
            Name = listener.Name,
            Hostname = listener.Hostname,
            Certificate = listener.Certificate,
            VirtualHosts =
            [
                .. hosts
                    .OrderBy(h => h.Key, Comparer<string>.Create((a, b) => HostnameIntersection.CompareSpecificity(a, b)))
                    .Select(h => VirtualHost(context.Options.Cache, (gateway.Id, listener.Name, h.Key), h.Value)),
            ],
        };
    }
}
