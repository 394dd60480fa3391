using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>What a valid backendRef points at; becomes one <see cref="ClusterIr"/>.</summary>
/// <summary>
/// A cluster to build. <paramref name="SubsetLabels"/> narrows a Service's endpoints to those
/// whose labels match (an Istio DestinationRule subset); only WorkloadEntries carry labels, so
/// EndpointSlice endpoints are left out of a subset.
/// </summary>
internal sealed record BackendTarget(string ClusterName, bool IsServiceEntry, string Namespace, string Name, int Port, Dictionary<string, string>? SubsetLabels = null);

/// <summary>The outcome of resolving one backendRef.</summary>
internal sealed record ResolvedBackend(BackendTarget? Target, string? FailureReason, string? FailureMessage);

/// <summary>
/// Resolves backendRefs (core Service, or networking.istio.io ServiceEntry; cross-namespace only
/// with a ReferenceGrant) and builds clusters with their endpoints.
/// Cluster names: "namespace/service:port" for Services and "namespace/serviceentry:port" for ServiceEntries.
/// </summary>
internal static class BackendResolver
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string H2cAppProtocol = "kubernetes.io/h2c";

    private static readonly Comparer<(string Address, int Port)> EndpointOrder = Comparer<(string Address, int Port)>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Address, b.Address);
        return c != 0 ? c : a.Port.CompareTo(b.Port);
    });

    public static ResolvedBackend Resolve(TranslationContext context, string routeNamespace, string group, string kind, string name, string? ns, int? port, string routeKind = HttpRoute.KindName)
    {
        var targetNs = string.IsNullOrEmpty(ns) ? routeNamespace : ns;
        var isService = group.Length == 0 && kind == "Service";
        var isServiceEntry = group == IstioNetworkingGroup.Name && kind == ServiceEntry.KindName;
        var display = $"{(group.Length == 0 ? kind : kind + "." + group)} {targetNs}/{name}";
        if (!isService && !isServiceEntry)
        {
            return Fail(Reasons.InvalidKind, $"{display}: backend kind is not supported (use a core Service or a networking.istio.io ServiceEntry)");
        }

        // A ReferenceGrant names the route kind it admits: one for HTTPRoutes does not admit GRPCRoutes.
        if (!context.ReferenceGrants.Allows(GatewayApiGroup.Name, routeKind, routeNamespace, group, kind, targetNs, name))
        {
            return Fail(Reasons.RefNotPermitted, $"{display}: no ReferenceGrant in {targetNs} allows {routeKind}s in {routeNamespace} to refer to it");
        }

        if (port is null)
        {
            return Fail(Reasons.BackendNotFound, $"{display}: port is required");
        }

        var id = TranslationContext.Id(targetNs, name);
        if (isService)
        {
            if (!context.Services.TryGetValue(id, out var svc))
            {
                return Fail(Reasons.BackendNotFound, $"{display} not found");
            }

            if (svc.Spec?.Ports?.Any(p => p.Port == port) != true)
            {
                return Fail(Reasons.BackendNotFound, $"{display} has no port {port}");
            }
        }
        else
        {
            if (!context.ServiceEntries.TryGetValue(id, out var se))
            {
                return Fail(Reasons.BackendNotFound, $"{display} not found");
            }

            if (se.Spec.Ports?.Any(p => p.Number == port) != true)
            {
                return Fail(Reasons.BackendNotFound, $"{display} has no port {port}");
            }
        }

        return new ResolvedBackend(new BackendTarget($"{id}:{port}", isServiceEntry, targetNs, name, port.Value), null, null);

        static ResolvedBackend Fail(string reason, string message) => new(null, reason, message);
    }

    public static ClusterIr BuildCluster(TranslationContext context, BackendTarget target) =>
        target.IsServiceEntry ? BuildServiceEntryCluster(context, target) : BuildServiceCluster(context, target);

    private static ClusterIr BuildServiceCluster(TranslationContext context, BackendTarget target)
    {
        var svc = context.Services[TranslationContext.Id(target.Namespace, target.Name)];
        var servicePort = svc.Spec.Ports.First(p => p.Port == target.Port);
        var endpoints = new SortedSet<(string Address, int Port)>(EndpointOrder);

        // EndpointSlices of the Service: the slice port named like the Service port.
        foreach (var slice in target.SubsetLabels is null ? context.Snapshot.EndpointSlices : [])
        {
            if (slice.Metadata.NamespaceProperty != target.Namespace
                || slice.Metadata.Labels is null
                || !slice.Metadata.Labels.TryGetValue(ServiceNameLabel, out var owner)
                || owner != target.Name)
            {
                continue;
            }

            var slicePort = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (servicePort.Name ?? ""));
            if (slicePort?.Port is not { } portNumber)
            {
                continue;
            }

            foreach (var ep in slice.Endpoints ?? [])
            {
                if (ep.Conditions?.Ready == false)
                {
                    continue;
                }

                foreach (var address in ep.Addresses ?? [])
                {
                    endpoints.Add((address, portNumber));
                }
            }
        }

        // WorkloadEntries selected by the Service's selector.
        foreach (var we in context.Snapshot.WorkloadEntries)
        {
            if (we.Metadata.NamespaceProperty != target.Namespace
                || string.IsNullOrEmpty(we.Spec.Address)
                || !LabelSelectors.SelectsAll(svc.Spec.Selector, we.Spec.Labels)
                || (target.SubsetLabels is not null && !LabelSelectors.SelectsAll(target.SubsetLabels, we.Spec.Labels)))
            {
                continue;
            }

            endpoints.Add((we.Spec.Address, WorkloadEntryPort(we.Spec, servicePort)));
        }

        return new ClusterIr
        {
            Name = target.ClusterName,
            Protocol = servicePort.AppProtocol == H2cAppProtocol || context.GrpcClusters.Contains(target.ClusterName) ? UpstreamProtocol.H2c : UpstreamProtocol.Http1,
            Endpoints = [.. endpoints.Select(e => new EndpointIr { Address = e.Address, Port = e.Port })],
            Tls = context.BackendTls.For(target.ClusterName, target.Namespace, target.Name, servicePort),
        };
    }

    /// <summary>
    /// The port of a WorkloadEntry for a Service port, as Istio defines it: the entry's ports map is
    /// keyed by the Service port's name, so a process on any port can back a Service whose targetPort
    /// is a number. Then a named targetPort resolves through the same map, a numeric targetPort is
    /// used as is, and with neither the Service port is (a local process usually listens on it).
    /// </summary>
    internal static int WorkloadEntryPort(WorkloadEntrySpec we, V1ServicePort servicePort)
    {
        if (we.Ports is not null && !string.IsNullOrEmpty(servicePort.Name) && we.Ports.TryGetValue(servicePort.Name, out var byServicePortName))
        {
            return byServicePortName;
        }

        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return servicePort.Port;
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return we.Ports is not null && we.Ports.TryGetValue(target, out var named) ? named : servicePort.Port;
    }

    private static ClusterIr BuildServiceEntryCluster(TranslationContext context, BackendTarget target)
    {
        var se = context.ServiceEntries[TranslationContext.Id(target.Namespace, target.Name)];
        var port = se.Spec.Ports!.First(p => p.Number == target.Port);
        var defaultPort = port.TargetPort ?? port.Number;
        var endpoints = new SortedSet<(string Address, int Port)>(EndpointOrder);
        foreach (var ep in se.Spec.Endpoints ?? [])
        {
            if (string.IsNullOrEmpty(ep.Address))
            {
                continue;
            }

            endpoints.Add((ep.Address, ep.Ports is not null && ep.Ports.TryGetValue(port.Name, out var p) ? p : defaultPort));
        }

        if (se.Spec.WorkloadSelector?.Labels is { Count: > 0 } selector)
        {
            foreach (var we in context.Snapshot.WorkloadEntries)
            {
                if (we.Metadata.NamespaceProperty == target.Namespace
                    && !string.IsNullOrEmpty(we.Spec.Address)
                    && LabelSelectors.SelectsAll(selector, we.Spec.Labels))
                {
                    endpoints.Add((we.Spec.Address, we.Spec.Ports is not null && we.Spec.Ports.TryGetValue(port.Name, out var p) ? p : defaultPort));
                }
            }
        }

        // DNS resolution with no endpoints: the hosts themselves are the endpoints (resolved by the proxy).
        if (endpoints.Count == 0 && se.Spec.Resolution == "DNS")
        {
            foreach (var host in se.Spec.Hosts.Where(h => !h.Contains('*', StringComparison.Ordinal)))
            {
                endpoints.Add((host, defaultPort));
            }
        }

        return new ClusterIr
        {
            Name = target.ClusterName,
            Protocol = string.Equals(port.Protocol, "HTTP2", StringComparison.OrdinalIgnoreCase) || string.Equals(port.Protocol, "GRPC", StringComparison.OrdinalIgnoreCase)
                       || context.GrpcClusters.Contains(target.ClusterName)
                ? UpstreamProtocol.H2c
                : UpstreamProtocol.Http1,
            Endpoints = [.. endpoints.Select(e => new EndpointIr { Address = e.Address, Port = e.Port })],
        };
    }

    public static ImmutableArray<ClusterIr> BuildClusters(TranslationContext context, IEnumerable<BackendTarget> targets) =>
        [.. targets.DistinctBy(t => t.ClusterName).OrderBy(t => t.ClusterName, StringComparer.Ordinal).Select(t => BuildCluster(context, t))];
}
