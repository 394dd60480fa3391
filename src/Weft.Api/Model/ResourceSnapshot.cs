using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;

namespace Weft.Api.Model;

/// <summary>
/// An immutable view of every resource the store holds at one version: the translator's input.
/// Lists are sorted by key so the translation of a snapshot is deterministic.
/// </summary>
public sealed record ResourceSnapshot
{
    public long Version { get; init; }
    public ImmutableArray<GatewayClass> GatewayClasses { get; init; } = [];
    public ImmutableArray<Gateway> Gateways { get; init; } = [];
    public ImmutableArray<HttpRoute> HttpRoutes { get; init; } = [];
    public ImmutableArray<GrpcRoute> GrpcRoutes { get; init; } = [];
    public ImmutableArray<ReferenceGrant> ReferenceGrants { get; init; } = [];
    public ImmutableArray<V1Namespace> Namespaces { get; init; } = [];
    public ImmutableArray<V1Service> Services { get; init; } = [];
    public ImmutableArray<V1Secret> Secrets { get; init; } = [];
    public ImmutableArray<V1ConfigMap> ConfigMaps { get; init; } = [];
    public ImmutableArray<BackendTlsPolicy> BackendTlsPolicies { get; init; } = [];
    public ImmutableArray<V1EndpointSlice> EndpointSlices { get; init; } = [];
    public ImmutableArray<WorkloadEntry> WorkloadEntries { get; init; } = [];
    public ImmutableArray<ServiceEntry> ServiceEntries { get; init; } = [];
    public ImmutableArray<VirtualService> VirtualServices { get; init; } = [];
    public ImmutableArray<DestinationRule> DestinationRules { get; init; } = [];

    /// <summary>
    /// Builds a snapshot. A namespaced object without a namespace is put in "default", as the
    /// Kubernetes API server (and Weft's store) would, so a translation of files read directly
    /// (`weft analyze`, `weft x explain -f`) sees what a running control plane sees.
    /// </summary>
    public static ResourceSnapshot From(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, long version = 0)
    {
        var list = objects.ToList();
        foreach (var o in list)
        {
            if (o.Metadata.NamespaceProperty is null && ResourceKinds.Find(o.ApiVersion, o.Kind) is { Namespaced: true })
            {
                o.Metadata.NamespaceProperty = "default";
            }
        }

        var sorted = list
            .OrderBy(o => o.Kind, StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.NamespaceProperty ?? "", StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return new ResourceSnapshot
        {
            Version = version,
            GatewayClasses = [.. sorted.OfType<GatewayClass>()],
            Gateways = [.. sorted.OfType<Gateway>()],
            HttpRoutes = [.. sorted.OfType<HttpRoute>()],
            GrpcRoutes = [.. sorted.OfType<GrpcRoute>()],
            ReferenceGrants = [.. sorted.OfType<ReferenceGrant>()],
            Namespaces = [.. sorted.OfType<V1Namespace>()],
            Services = [.. sorted.OfType<V1Service>()],
            Secrets = [.. sorted.OfType<V1Secret>()],
            ConfigMaps = [.. sorted.OfType<V1ConfigMap>()],
            BackendTlsPolicies = [.. sorted.OfType<BackendTlsPolicy>()],
            EndpointSlices = [.. sorted.OfType<V1EndpointSlice>()],
            WorkloadEntries = [.. sorted.OfType<WorkloadEntry>()],
            ServiceEntries = [.. sorted.OfType<ServiceEntry>()],
            VirtualServices = [.. sorted.OfType<VirtualService>()],
            DestinationRules = [.. sorted.OfType<DestinationRule>()],
        };
    }

    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All() =>
        GatewayClasses.Cast<IKubernetesObject<V1ObjectMeta>>()
            .Concat(Gateways).Concat(HttpRoutes).Concat(GrpcRoutes).Concat(ReferenceGrants).Concat(Namespaces)
            .Concat(Services).Concat(Secrets).Concat(ConfigMaps).Concat(BackendTlsPolicies).Concat(EndpointSlices).Concat(WorkloadEntries).Concat(ServiceEntries)
            .Concat(VirtualServices).Concat(DestinationRules);
}
