using k8s;
using k8s.Models;

namespace Weft.Api.Istio;

public static class IstioNetworkingGroup
{
    public const string Name = "networking.istio.io";
    public const string V1 = Name + "/v1";
}

/// <summary>A workload that is not a Kubernetes pod (a VM, or a local process), selected by Services by its labels.</summary>
public sealed class WorkloadEntry : IKubernetesObject<V1ObjectMeta>, ISpec<WorkloadEntrySpec>
{
    public const string KindName = "WorkloadEntry";

    public string ApiVersion { get; set; } = IstioNetworkingGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public WorkloadEntrySpec Spec { get; set; } = new();
}

public sealed record WorkloadEntrySpec
{
    public string? Address { get; init; }

    /// <summary>Port name → port number: a Service's target port name resolves through this map.</summary>
    public Dictionary<string, int>? Ports { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string? Network { get; init; }
    public string? Locality { get; init; }
    public int? Weight { get; init; }
    public string? ServiceAccount { get; init; }
}
