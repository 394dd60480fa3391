using k8s;
using k8s.Models;

namespace Weft.Api.Istio;

/// <summary>Adds a service to the mesh's registry that Kubernetes does not know: hosts, ports, and static endpoints.</summary>
public sealed class ServiceEntry : IKubernetesObject<V1ObjectMeta>, ISpec<ServiceEntrySpec>
{
    public const string KindName = "ServiceEntry";

    public string ApiVersion { get; set; } = IstioNetworkingGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceEntrySpec Spec { get; set; } = new();
}

public sealed record ServiceEntrySpec
{
    public List<string> Hosts { get; init; } = [];
    public List<string>? Addresses { get; init; }
    public List<ServiceEntryPort>? Ports { get; init; }

    /// <summary>MESH_EXTERNAL or MESH_INTERNAL.</summary>
    public string? Location { get; init; }

    /// <summary>NONE, STATIC or DNS.</summary>
    public string? Resolution { get; init; }
    public List<WorkloadEntrySpec>? Endpoints { get; init; }
    public WorkloadSelector? WorkloadSelector { get; init; }
    public List<string>? ExportTo { get; init; }
    public List<string>? SubjectAltNames { get; init; }
}

public sealed record ServiceEntryPort
{
    public required int Number { get; init; }
    public string? Protocol { get; init; }
    public required string Name { get; init; }
    public int? TargetPort { get; init; }
}

public sealed record WorkloadSelector
{
    public Dictionary<string, string>? Labels { get; init; }
}
