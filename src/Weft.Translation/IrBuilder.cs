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
    private static VirtualHostIr VirtualHost(TranslationCache? cache, (string Gateway, string Listener, string Host) key, HostInputs inputs)
    {
        if (inputs.SameAsPrevious is { } previous)
        {
            cache!.KeepVirtualHost(key, previous.Inputs, previous.Ir);
            return previous.Ir;
        }

        var routes = inputs.Materialize();
        var ir = new VirtualHostIr
        {
            Hostname = key.Host,
            Routes = [.. routes.Order(RoutePrecedence.Instance).Select(r => r.Route)],
        };
        cache?.KeepVirtualHost(key, routes, ir);
        return ir;
    }

    /// <summary>
    /// The routes a virtual host receives, in attachment order, compared with the last translation's
    /// as they arrive: a list is built only once they diverge, so the hosts a change did not touch
    /// (nearly all) allocate nothing.
    /// </summary>
    private sealed class HostInputs((List<RankedRoute> Inputs, VirtualHostIr Ir)? previous)
    {
        private List<RankedRoute>? _built;
        private int _matched;

        public void Add(RankedRoute route)
        {
            if (_built is null && previous is { } p && _matched < p.Inputs.Count
                && ReferenceEquals(p.Inputs[_matched].Route, route.Route) && p.Inputs[_matched].CreationTimestamp == route.CreationTimestamp)
            {
                _matched++;
                return;
            }

            _built ??= previous is { } q ? q.Inputs.GetRange(0, _matched) : [];
            _built.Add(route);
        }

        /// <summary>The last translation's host, when this one received exactly its routes.</summary>
        public (List<RankedRoute> Inputs, VirtualHostIr Ir)? SameAsPrevious =>
            _built is null && previous is { } p && _matched == p.Inputs.Count ? p : null;

        public List<RankedRoute> Materialize() => _built ?? (previous is { } p ? p.Inputs.GetRange(0, _matched) : []);
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
        var cache = context.Options.Cache;
        var hosts = new Dictionary<string, HostInputs>(StringComparer.Ordinal);
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
                    hosts[hostname] = list = new HostInputs(cache?.PreviousVirtualHost((gateway.Id, listener.Name, hostname)));
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
                    .Select(h => VirtualHost(cache, (gateway.Id, listener.Name, h.Key), h.Value)),
            ],
        };
    }
}
