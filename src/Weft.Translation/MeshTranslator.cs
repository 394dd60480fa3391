using System.Collections.Immutable;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// Pass 3b. The mesh: HTTPRoutes whose parentRef is a Service (the Gateway API's mesh support,
/// GAMMA) and the outbound configuration of the sidecar proxies, one snapshot per namespace.
///
/// A sidecar has one outbound listener (the workload's HTTP proxy) with a virtual host per
/// Service name a workload may call: "name.ns.svc.cluster.local", "name.ns.svc", "name.ns", and
/// the bare "name" for Services of the workload's own namespace. A Service with routes attached
/// serves exactly those routes (unmatched requests get 404, as GAMMA says); a Service without gets
/// one default route to all its endpoints. A route in the Service's namespace (a producer route)
/// applies to every caller; a route in another namespace (a consumer route) only to callers in
/// the route's namespace.
/// </summary>
internal static class MeshTranslator
{
    /// <summary>The port a sidecar's outbound listener answers to (Istio's outbound capture port).</summary>
    public const int OutboundPort = 15001;

    public const string ClusterDomain = "svc.cluster.local";

    public static ImmutableSortedDictionary<string, GatewaySnapshotIr> Translate(TranslationContext context, List<HttpRouteState> routes)
    {
        // Service id → routes attached to it, with the namespace they apply to (null: every namespace).
        var attached = new Dictionary<string, List<(HttpRouteState Route, string? ForNamespace)>>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            var parentRefs = route.Route.Spec.ParentRefs ?? [];
            foreach (var pr in parentRefs)
            {
                if (!IsServiceParent(pr))
                {
                    continue;
                }

                var ns = string.IsNullOrEmpty(pr.Namespace) ? route.Namespace : pr.Namespace;
                var id = TranslationContext.Id(ns, pr.Name);
                var statusRef = pr with { Group = "", Kind = "Service", Namespace = ns };
                if (!context.Services.TryGetValue(id, out var service))
                {
                    route.Parents.Add(new RouteParentResult(statusRef, false, Reasons.NoMatchingParent, $"Service {id} not found"));
                    continue;
                }

                if (pr.Port is { } port && service.Spec.Ports?.Any(p => p.Port == port) != true)
                {
                    route.Parents.Add(new RouteParentResult(statusRef, false, Reasons.NoMatchingParent, $"Service {id} has no port {port}"));
                    continue;
                }

                if (route.AllRulesInvalid)
                {
                    route.Parents.Add(new RouteParentResult(statusRef, false, Reasons.UnsupportedValue, "every rule of the route is invalid"));
                    continue;
                }

                if (!attached.TryGetValue(id, out var list))
                {
                    attached[id] = list = [];
                }

                var forNamespace = ns == route.Namespace ? null : route.Namespace;
                list.Add((route, forNamespace));
                route.Parents.Add(new RouteParentResult(statusRef, true, Reasons.Accepted,
                    forNamespace is null
                        ? $"routes calls to Service {id} from every namespace"
                        : $"routes calls to Service {id} from namespace {forNamespace} (a consumer route)"));
            }
        }

        var istio = VirtualServiceTranslator.Translate(context);
        foreach (var (service, vs) in istio)
        {
            if (attached.ContainsKey(service))
            {
                context.Diagnostics.Add(DiagnosticCodes.RoutesOverlap, vs.VirtualService, "spec.hosts",
                    $"Service {service} also has mesh HTTPRoutes; the VirtualService's routes are used");
            }
        }

        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        namespaces.UnionWith(context.Snapshot.Namespaces.Select(n => n.Metadata.Name));
        namespaces.UnionWith(context.Snapshot.Services.Select(s => s.Metadata.NamespaceProperty ?? "default"));
        namespaces.UnionWith(context.Snapshot.WorkloadEntries.Select(w => w.Metadata.NamespaceProperty ?? "default"));
        namespaces.Add("default");

        var result = ImmutableSortedDictionary.CreateBuilder<string, GatewaySnapshotIr>(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            result[ns] = BuildSidecar(context, ns, attached, istio);
        }

        return result.ToImmutable();
    }

    public static bool IsServiceParent(ParentReference pr) => (pr.Group ?? GatewayApiGroup.Name).Length == 0 && pr.Kind == "Service";

    private static GatewaySnapshotIr BuildSidecar(TranslationContext context, string callerNamespace,
        Dictionary<string, List<(HttpRouteState Route, string? ForNamespace)>> attached, Dictionary<string, IstioServiceRoutes> istio)
    {
        var targets = new List<BackendTarget>();
        var hosts = new List<VirtualHostIr>();
        foreach (var service in context.Snapshot.Services)
        {
            var ns = service.Metadata.NamespaceProperty ?? "default";
            var name = service.Metadata.Name;
            ImmutableArray<RouteIr> routes;
            if (istio.TryGetValue(TranslationContext.Id(ns, name), out var vs))
            {
                targets.AddRange(vs.Targets);
                routes = vs.Routes;
            }
            else
            {
                routes = RoutesFor(attached, TranslationContext.Id(ns, name), callerNamespace, targets);
            }

            if (routes.IsEmpty)
            {
                if (DefaultRoute(service, ns, name, targets) is not { } fallback)
                {
                    continue;
                }

                routes = [fallback];
            }

            foreach (var hostname in Hostnames(ns, name, callerNamespace))
            {
                hosts.Add(new VirtualHostIr { Hostname = hostname, Routes = routes });
            }
        }

        return new GatewaySnapshotIr
        {
            GatewayNamespace = callerNamespace,
            GatewayName = "sidecar",
            Ports =
            [
                new PortIr
                {
                    Port = OutboundPort,
                    // Each sidecar binds where its workload tells it (port 0: any free port).
                    BindAddress = "127.0.0.1",
                    BindPort = 0,
                    Protocol = ListenerProtocol.Http,
                    Listeners =
                    [
                        new ListenerIr
                        {
                            Name = "outbound",
                            VirtualHosts = [.. hosts.OrderBy(h => h.Hostname, StringComparer.Ordinal)],
                        },
                    ],
                },
            ],
            Clusters = BackendResolver.BuildClusters(context, targets),
        };
    }

    private static ImmutableArray<RouteIr> RoutesFor(
        Dictionary<string, List<(HttpRouteState Route, string? ForNamespace)>> attached, string serviceId, string callerNamespace, List<BackendTarget> targets)
    {
        if (!attached.TryGetValue(serviceId, out var list))
        {
            return [];
        }

        var applicable = list.Where(a => a.ForNamespace is null || a.ForNamespace == callerNamespace).ToList();

        // Consumer routes in the caller's namespace take over from producer routes, as GAMMA says.
        if (applicable.Any(a => a.ForNamespace is not null))
        {
            applicable = [.. applicable.Where(a => a.ForNamespace is not null)];
        }

        var ranked = new List<RankedRoute>();
        foreach (var (route, _) in applicable)
        {
            foreach (var rule in route.Rules)
            {
                targets.AddRange(rule.Targets);
                ranked.AddRange(rule.Routes.Select(r => new RankedRoute(r, route.CreationTimestamp)));
            }
        }

        return [.. ranked.Order(RoutePrecedence.Instance).Select(r => r.Route)];
    }

    // With no route attached, a call to the Service goes to its endpoints: the first port's cluster
    // (a sidecar cannot tell the ports apart by name alone; Services with several HTTP ports need a route).
    private static RouteIr? DefaultRoute(V1Service service, string ns, string name, List<BackendTarget> targets)
    {
        var port = service.Spec.Ports?.FirstOrDefault();
        if (port is null)
        {
            return null;
        }

        var target = new BackendTarget($"{ns}/{name}:{port.Port}", false, ns, name, port.Port);
        targets.Add(target);
        return new RouteIr
        {
            RouteNamespace = ns,
            RouteName = name,
            RuleName = "service-default",
            RuleIndex = 0,
            MatchIndex = 0,
            Match = new MatchIr(),
            Backends = [new BackendIr { Cluster = target.ClusterName, Weight = 1 }],
        };
    }

    private static IEnumerable<string> Hostnames(string ns, string name, string callerNamespace)
    {
        yield return $"{name}.{ns}.{ClusterDomain}";
        yield return $"{name}.{ns}.svc";
        yield return $"{name}.{ns}";
        if (ns == callerNamespace)
        {
            yield return name;
        }
    }
}
