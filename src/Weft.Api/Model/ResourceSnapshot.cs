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
            DefaultNamespace(o);
        }

        // Stable (files read directly may hold duplicates, which keep their order).
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

    /// <summary>
    /// The next snapshot of a store, as an edit of this one: <paramref name="removed"/> objects leave
    /// (by reference; a changed object leaves in its old form) and <paramref name="added"/> ones enter
    /// at their sorted place. The lists of kinds the edit does not touch are taken over as they are
    /// (the same instances, so a translator can tell by reference that, say, no Service changed), and
    /// a touched list is edited in one pass rather than sorted again: a change to one route in
    /// thousands costs a copy, not a sort.
    /// </summary>
    public ResourceSnapshot Edit(long version, IReadOnlyCollection<IKubernetesObject<V1ObjectMeta>> added, IReadOnlyCollection<IKubernetesObject<V1ObjectMeta>> removed)
    {
        var touched = new HashSet<Type>();
        foreach (var o in added)
        {
            DefaultNamespace(o);
            touched.Add(o.GetType());
        }

        foreach (var o in removed)
        {
            touched.Add(o.GetType());
        }

        var gone = new HashSet<object>(removed, ReferenceEqualityComparer.Instance);
        ImmutableArray<T> Of<T>(ImmutableArray<T> kept)
            where T : IKubernetesObject<V1ObjectMeta>
        {
            if (!touched.Contains(typeof(T)))
            {
                return kept;
            }

            // An object both added and removed (entered and left within one edit) is not there.
            var entering = added.OfType<T>().Where(o => !gone.Contains(o)).OrderBy(o => o, KeyOrder<T>.Instance).ToList();
            var result = ImmutableArray.CreateBuilder<T>(kept.Length + entering.Count);
            var next = 0;
            foreach (var o in kept)
            {
                if (gone.Contains(o))
                {
                    continue;
                }

                // Merge: an entering object goes after every kept one with a key not greater than its own.
                while (next < entering.Count && KeyOrder<T>.Instance.Compare(entering[next], o) < 0)
                {
                    result.Add(entering[next++]);
                }

                result.Add(o);
            }

            while (next < entering.Count)
            {
                result.Add(entering[next++]);
            }

            return result.ToImmutable();
        }

        return this with
        {
            Version = version,
            GatewayClasses = Of(GatewayClasses),
            Gateways = Of(Gateways),
            HttpRoutes = Of(HttpRoutes),
            GrpcRoutes = Of(GrpcRoutes),
            ReferenceGrants = Of(ReferenceGrants),
            Namespaces = Of(Namespaces),
            Services = Of(Services),
            Secrets = Of(Secrets),
            ConfigMaps = Of(ConfigMaps),
            BackendTlsPolicies = Of(BackendTlsPolicies),
            EndpointSlices = Of(EndpointSlices),
            WorkloadEntries = Of(WorkloadEntries),
            ServiceEntries = Of(ServiceEntries),
            VirtualServices = Of(VirtualServices),
            DestinationRules = Of(DestinationRules),
        };
    }

    private static void DefaultNamespace(IKubernetesObject<V1ObjectMeta> o)
    {
        if (o.Metadata.NamespaceProperty is null && ResourceKinds.Find(o.ApiVersion, o.Kind) is { Namespaced: true })
        {
            o.Metadata.NamespaceProperty = "default";
        }
    }

    // The order of From within one kind: namespace, then name.
    private sealed class KeyOrder<T> : IComparer<T>
        where T : IKubernetesObject<V1ObjectMeta>
    {
        public static readonly KeyOrder<T> Instance = new();

        public int Compare(T? x, T? y)
        {
            var c = string.CompareOrdinal(x!.Metadata.NamespaceProperty ?? "", y!.Metadata.NamespaceProperty ?? "");
            return c != 0 ? c : string.CompareOrdinal(x.Metadata.Name, y.Metadata.Name);
        }
    }

    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All() =>
        GatewayClasses.Cast<IKubernetesObject<V1ObjectMeta>>()
            .Concat(Gateways).Concat(HttpRoutes).Concat(GrpcRoutes).Concat(ReferenceGrants).Concat(Namespaces)
            .Concat(Services).Concat(Secrets).Concat(ConfigMaps).Concat(BackendTlsPolicies).Concat(EndpointSlices).Concat(WorkloadEntries).Concat(ServiceEntries)
            .Concat(VirtualServices).Concat(DestinationRules);
}
