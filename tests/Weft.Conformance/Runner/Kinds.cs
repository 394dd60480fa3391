namespace Weft.Conformance.Runner;

/// <summary>Kind → the plural Weft's API serves it under (/api/v1/{plural}).</summary>
internal static class Kinds
{
    private static readonly Dictionary<string, string> s_plurals = new(StringComparer.Ordinal)
    {
        ["GatewayClass"] = "gatewayclasses",
        ["Gateway"] = "gateways",
        ["HTTPRoute"] = "httproutes",
        ["GRPCRoute"] = "grpcroutes",
        ["TLSRoute"] = "tlsroutes",
        ["UDPRoute"] = "udproutes",
        ["TCPRoute"] = "tcproutes",
        ["ReferenceGrant"] = "referencegrants",
        ["BackendTLSPolicy"] = "backendtlspolicies",
        ["Service"] = "services",
        ["EndpointSlice"] = "endpointslices",
        ["Namespace"] = "namespaces",
        ["Secret"] = "secrets",
        ["ConfigMap"] = "configmaps",
        ["WorkloadEntry"] = "workloadentries",
    };

    public static string Plural(string kind) => s_plurals.TryGetValue(kind, out var p) ? p : kind.ToLowerInvariant() + "s";

    public static bool IsClusterScoped(string kind) => kind is "GatewayClass" or "Namespace";
}
