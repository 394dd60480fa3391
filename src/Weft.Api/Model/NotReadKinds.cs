namespace Weft.Api.Model;

/// <summary>
/// Kinds Weft recognises but does not read, so that a manifest written for a cluster (Deployments,
/// ServiceAccounts…) loads without errors, and a route kind Weft does not serve yet is reported as
/// such instead of as a typo. Anything not here and not in <see cref="ResourceKinds"/> is an unknown kind.
/// </summary>
public static class NotReadKinds
{
    // group → kinds that run workloads or configure the cluster: they matter on Kubernetes, not to Weft.
    private static readonly Dictionary<string, string[]> ClusterKinds = new(StringComparer.Ordinal)
    {
        [""] = ["Pod", "ServiceAccount", "PersistentVolumeClaim", "PersistentVolume", "ResourceQuota", "LimitRange", "Endpoints", "ReplicationController"],
        ["apps"] = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
        ["batch"] = ["Job", "CronJob"],
        ["rbac.authorization.k8s.io"] = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
        ["policy"] = ["PodDisruptionBudget"],
        ["autoscaling"] = ["HorizontalPodAutoscaler"],
        ["networking.k8s.io"] = ["NetworkPolicy"],
        ["apiextensions.k8s.io"] = ["CustomResourceDefinition"],
    };

    // group → kinds Weft will serve but does not yet: ignored, with a warning, never silently.
    private static readonly Dictionary<string, string[]> NotYetSupported = new(StringComparer.Ordinal)
    {
        ["gateway.networking.k8s.io"] = ["TLSRoute", "TCPRoute", "UDPRoute", "XListenerSet", "XBackendTrafficPolicy", "XMesh"],
        ["networking.istio.io"] = ["Gateway", "Sidecar", "EnvoyFilter", "WorkloadGroup"],
        ["security.istio.io"] = ["PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication"],
        ["networking.k8s.io"] = ["Ingress"],
    };

    /// <summary>The diagnostic for a kind Weft does not read, or null when the kind is simply unknown.</summary>
    public static DiagnosticCode? Find(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        if (ClusterKinds.TryGetValue(group, out var cluster) && cluster.Contains(kind, StringComparer.Ordinal))
        {
            return DiagnosticCodes.KindNotUsed;
        }

        return NotYetSupported.TryGetValue(group, out var later) && later.Contains(kind, StringComparer.Ordinal)
            ? DiagnosticCodes.KindNotSupportedYet
            : null;
    }
}
