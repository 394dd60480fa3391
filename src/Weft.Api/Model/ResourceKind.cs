using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;

namespace Weft.Api.Model;

/// <summary>One kind Weft reads: its group, the versions accepted, its CLR type and whether it lives in a namespace.</summary>
public sealed record ResourceKind(string Group, string Kind, IReadOnlyList<string> Versions, Type ClrType, bool Namespaced, string Plural)
{
    public string DisplayName => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}

/// <summary>The table of kinds Weft understands. Anything else is reported as an unknown kind (never skipped silently).</summary>
public static class ResourceKinds
{
    public static readonly ResourceKind GatewayClass = new(GatewayApiGroup.Name, "GatewayClass", ["v1", "v1beta1"], typeof(GatewayClass), false, "gatewayclasses");
    public static readonly ResourceKind Gateway = new(GatewayApiGroup.Name, "Gateway", ["v1", "v1beta1"], typeof(Gateway), true, "gateways");
    public static readonly ResourceKind HttpRoute = new(GatewayApiGroup.Name, "HTTPRoute", ["v1", "v1beta1"], typeof(HttpRoute), true, "httproutes");
    public static readonly ResourceKind GrpcRoute = new(GatewayApiGroup.Name, "GRPCRoute", ["v1"], typeof(GrpcRoute), true, "grpcroutes");
    public static readonly ResourceKind ReferenceGrant = new(GatewayApiGroup.Name, "ReferenceGrant", ["v1", "v1beta1"], typeof(ReferenceGrant), true, "referencegrants");
    public static readonly ResourceKind Namespace = new("", "Namespace", ["v1"], typeof(V1Namespace), false, "namespaces");
    public static readonly ResourceKind Service = new("", "Service", ["v1"], typeof(V1Service), true, "services");
    public static readonly ResourceKind Secret = new("", "Secret", ["v1"], typeof(V1Secret), true, "secrets");
    public static readonly ResourceKind ConfigMap = new("", "ConfigMap", ["v1"], typeof(V1ConfigMap), true, "configmaps");
    public static readonly ResourceKind BackendTlsPolicy = new(GatewayApiGroup.Name, "BackendTLSPolicy", ["v1", "v1alpha3"], typeof(BackendTlsPolicy), true, "backendtlspolicies");
    public static readonly ResourceKind EndpointSlice = new("discovery.k8s.io", "EndpointSlice", ["v1"], typeof(V1EndpointSlice), true, "endpointslices");
    public static readonly ResourceKind WorkloadEntry = new(IstioNetworkingGroup.Name, "WorkloadEntry", ["v1", "v1beta1", "v1alpha3"], typeof(WorkloadEntry), true, "workloadentries");
    public static readonly ResourceKind ServiceEntry = new(IstioNetworkingGroup.Name, "ServiceEntry", ["v1", "v1beta1", "v1alpha3"], typeof(ServiceEntry), true, "serviceentries");
    public static readonly ResourceKind VirtualService = new(IstioNetworkingGroup.Name, "VirtualService", ["v1", "v1beta1", "v1alpha3"], typeof(VirtualService), true, "virtualservices");
    public static readonly ResourceKind DestinationRule = new(IstioNetworkingGroup.Name, "DestinationRule", ["v1", "v1beta1", "v1alpha3"], typeof(DestinationRule), true, "destinationrules");

    public static IReadOnlyList<ResourceKind> All { get; } =
        [GatewayClass, Gateway, HttpRoute, GrpcRoute, ReferenceGrant, BackendTlsPolicy, Namespace, Service, Secret, ConfigMap, EndpointSlice, WorkloadEntry, ServiceEntry, VirtualService, DestinationRule];

    /// <summary>Finds a kind by apiVersion ("group/version" or "version" for the core group) and kind.</summary>
    public static ResourceKind? Find(string apiVersion, string kind)
    {
        // Asked for every object of every store change (thousands): the answer for a known pair is
        // kept. Only kinds that exist are kept, so unknown input cannot grow the table.
        if (Known.TryGetValue((apiVersion, kind), out var known))
        {
            return known;
        }

        var found = Search(apiVersion, kind);
        if (found is not null)
        {
            Known.TryAdd((apiVersion, kind), found);
        }

        return found;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string ApiVersion, string Kind), ResourceKind> Known = new();

    private static ResourceKind? Search(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        foreach (var k in All)
        {
            if (k.Kind == kind && k.Group == group && k.Versions.Contains(version))
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>Finds a kind by the names users type on the command line: plural, singular, or kind, any case.</summary>
    public static ResourceKind? FindByName(string name)
    {
        foreach (var k in All)
        {
            if (string.Equals(k.Plural, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(k.Kind, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(k.Plural.TrimEnd('s'), name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(k.Plural[..^2], name, StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return null;
    }

    public static ResourceKind Of(IKubernetesObject<V1ObjectMeta> obj) =>
        Find(obj.ApiVersion, obj.Kind) ?? throw new ArgumentException($"unknown kind {obj.ApiVersion}/{obj.Kind}");
}
