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
    public static GatewaySnapshotIr Build(TranslationContext context, GatewayState gateway)
    {
        var targets = new List<BackendTarget>();
        var ports = ImmutableArray.CreateBuilder<PortIr>();
        foreach (var group in gateway.Listeners.Where(l => l.Programmable).GroupBy(l => l.Listener.Port).OrderBy(g => g.Key))
        {
            var listeners = group
                .OrderBy(l => l.Hostname, Comparer<string?>.Create(HostnameIntersection.CompareSpecificity))
                .Select(l => BuildListener(l, targets))
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
            Clusters = BackendResolver.BuildClusters(context, targets),
        };
    }

    private static ListenerIr BuildListener(ListenerState listener, List<BackendTarget> targets)
    {
        var hosts = new Dictionary<string, List<RankedRoute>>(StringComparer.Ordinal);
        foreach (var attached in listener.Attached.Values)
        {
            var route = attached.Route;
            if (route.AllRulesInvalid)
            {
                continue; // not accepted: not programmed
            }

            foreach (var rule in route.Rules)
            {
                targets.AddRange(rule.Targets);
            }

            foreach (var hostname in attached.Hostnames)
            {
                if (!hosts.TryGetValue(hostname, out var list))
                {
                    hosts[hostname] = list = [];
                }

                list.AddRange(route.Rules.SelectMany(r => r.Routes).Select(r => new RankedRoute(r, route.CreationTimestamp)));
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
                    .Select(h => new VirtualHostIr
                    {
                        Hostname = h.Key,
                        Routes = [.. h.Value.Order(RoutePrecedence.Instance).Select(r => r.Route)],
                    }),
            ],
        };
    }
}
