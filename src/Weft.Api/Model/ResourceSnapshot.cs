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
    public static ResourceSnapshot From(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, long version = 0) =>
        From(objects, version, previous: null, changedTypes: null);

    /// <summary>
    /// Builds the next snapshot of a store whose objects of <paramref name="changedTypes"/> changed
    /// since <paramref name="previous"/>: the lists of the other kinds are taken over as they are (the
    /// same instances, so a translator can tell that no Service changed by reference), and only the
    /// changed kinds' lists are rebuilt and sorted. <paramref name="objects"/> is everything the store
    /// holds now.
    /// </summary>
    public static ResourceSnapshot From(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, long version, ResourceSnapshot? previous, IReadOnlySet<Type>? changedTypes)
    {
        bool Rebuild(Type type) => previous is null || changedTypes is null || changedTypes.Contains(type);
        var list = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var o in objects)
        {
            if (!Rebuild(o.GetType()))
            {
                continue;
            }

            if (o.Metadata.NamespaceProperty is null && ResourceKinds.Find(o.ApiVersion, o.Kind) is { Namespaced: true })
            {
                o.Metadata.NamespaceProperty = "default";
            }

            list.Add(o);
        }

        // Stable (files read directly may hold duplicates, which keep their order).
        var sorted = list
            .OrderBy(o => o.Kind, StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.NamespaceProperty ?? "", StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
            .ToList();

        ImmutableArray<T> Of<T>(ImmutableArray<T> kept) => Rebuild(typeof(T)) ? [.. sorted.OfType<T>()] : kept;
        var p = previous ?? new ResourceSnapshot();
        return new ResourceSnapshot
        {
            Version = version,
            GatewayClasses = Of(p.GatewayClasses),
            Gateways = Of(p.Gateways),
            HttpRoutes = Of(p.HttpRoutes),
            GrpcRoutes = Of(p.GrpcRoutes),
            ReferenceGrants = Of(p.ReferenceGrants),
            Namespaces = Of(p.Namespaces),
            Services = Of(p.Services),
            Secrets = Of(p.Secrets),
            ConfigMaps = Of(p.ConfigMaps),
            BackendTlsPolicies = Of(p.BackendTlsPolicies),
            EndpointSlices = Of(p.EndpointSlices),
            WorkloadEntries = Of(p.WorkloadEntries),
            ServiceEntries = Of(p.ServiceEntries),
            VirtualServices = Of(p.VirtualServices),
            DestinationRules = Of(p.DestinationRules),
        };
    }

    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All() =>
        GatewayClasses.Cast<IKubernetesObject<V1ObjectMeta>>()
            .Concat(Gateways).Concat(HttpRoutes).Concat(GrpcRoutes).Concat(ReferenceGrants).Concat(Namespaces)
            .Concat(Services).Concat(Secrets).Concat(ConfigMaps).Concat(BackendTlsPolicies).Concat(EndpointSlices).Concat(WorkloadEntries).Concat(ServiceEntries)
            .Concat(VirtualServices).Concat(DestinationRules);
}
