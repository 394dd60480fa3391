namespace Weft.Api.Model;

/// <summary>What Weft does with a kind it recognises but does not read: the code to report and what the user must know.</summary>
public sealed record NotReadKind(DiagnosticCode Code, string Consequence);

/// <summary>
/// Kinds Weft recognises but does not read, so that a manifest written for a cluster (Deployments,
/// ServiceAccounts…) loads without errors, and a kind Weft does not serve yet is reported as such
/// (with what is ignored and what to do instead) instead of as a typo. Anything not here and not in
/// <see cref="ResourceKinds"/> is an unknown kind.
/// </summary>
public static class NotReadKinds
{
    private const string WorkloadOrCluster = "it runs workloads or configures the cluster; the document is skipped";

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

    private const string UseHttpRoute = "the resource is ignored and routes nothing; express the routing with an HTTPRoute (or GRPCRoute) on a Gateway";

    // group → kind → what ignoring it means. Kinds Weft will serve but does not yet: never silent, and the
    // advice fits the kind (a security policy that is not enforced is not a routing problem).
    private static readonly Dictionary<string, Dictionary<string, NotReadKind>> NotYetSupported = new(StringComparer.Ordinal)
    {
        ["gateway.networking.k8s.io"] = new(StringComparer.Ordinal)
        {
            ["TLSRoute"] = new(DiagnosticCodes.KindNotSupportedYet, UseHttpRoute),
            ["TCPRoute"] = new(DiagnosticCodes.KindNotSupportedYet, UseHttpRoute),
            ["UDPRoute"] = new(DiagnosticCodes.KindNotSupportedYet, UseHttpRoute),
            ["XListenerSet"] = new(DiagnosticCodes.KindNotSupportedYet, "its listeners are not added to any Gateway; declare them in the Gateway's spec.listeners"),
            ["XBackendTrafficPolicy"] = new(DiagnosticCodes.KindNotSupportedYet, "its retry budget and session persistence are not applied"),
            ["XMesh"] = new(DiagnosticCodes.KindNotSupportedYet, "it is ignored; mesh routes attach to Services (GAMMA) without it"),
        },
        ["networking.istio.io"] = new(StringComparer.Ordinal)
        {
            ["Gateway"] = new(DiagnosticCodes.KindNotSupportedYet, "no listener is opened for it; use a Gateway API Gateway (gateway.networking.k8s.io/v1, gatewayClassName: weft) with HTTPRoutes"),
            ["Sidecar"] = new(DiagnosticCodes.KindNotSupportedYet, "its egress and ingress restrictions are not applied: every Service stays reachable from every workload"),
            ["EnvoyFilter"] = new(DiagnosticCodes.KindNotSupportedYet, "Weft's proxy is not Envoy and none of its patches are applied; express the behaviour with HTTPRoute filters"),
            ["WorkloadGroup"] = new(DiagnosticCodes.KindNotSupportedYet, "no WorkloadEntries are made from it; write the WorkloadEntries (or use `weft run`)"),
            ["ProxyConfig"] = new(DiagnosticCodes.KindNotSupportedYet, "its proxy settings (concurrency, image, environment) are ignored"),
        },
        ["extensions.istio.io"] = new(StringComparer.Ordinal)
        {
            ["WasmPlugin"] = new(DiagnosticCodes.KindNotSupportedYet, "the plugin does not run on any request"),
        },
        ["security.istio.io"] = new(StringComparer.Ordinal)
        {
            ["AuthorizationPolicy"] = new(DiagnosticCodes.SecurityPolicyNotEnforced, "SECURITY: this authorization policy is NOT enforced: every request it would deny is let through"),
            ["PeerAuthentication"] = new(DiagnosticCodes.SecurityPolicyNotEnforced, "SECURITY: this mutual-TLS policy is NOT enforced: traffic between workloads is not restricted to mutual TLS"),
            ["RequestAuthentication"] = new(DiagnosticCodes.SecurityPolicyNotEnforced, "SECURITY: this JWT policy is NOT enforced: tokens are not validated and requests with invalid tokens are let through"),
        },
        ["telemetry.istio.io"] = new(StringComparer.Ordinal)
        {
            ["Telemetry"] = new(DiagnosticCodes.TelemetryNotApplied, "its telemetry settings (tracing, metrics, access logging) are ignored"),
        },
        ["networking.k8s.io"] = new(StringComparer.Ordinal)
        {
            ["Ingress"] = new(DiagnosticCodes.KindNotSupportedYet, "no route is made from it; use a Gateway and HTTPRoutes"),
        },
    };

    /// <summary>The diagnostic for a kind Weft does not read, or null when the kind is simply unknown.</summary>
    public static NotReadKind? Find(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        if (ClusterKinds.TryGetValue(group, out var cluster) && cluster.Contains(kind, StringComparer.Ordinal))
        {
            return new NotReadKind(DiagnosticCodes.KindNotUsed, WorkloadOrCluster);
        }

        return NotYetSupported.TryGetValue(group, out var later) && later.TryGetValue(kind, out var notRead) ? notRead : null;
    }
}
