using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

public sealed class GatewayClass : IKubernetesObject<V1ObjectMeta>, ISpec<GatewayClassSpec>
{
    public const string KindName = "GatewayClass";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public GatewayClassSpec Spec { get; set; } = new() { ControllerName = "" };
    public GatewayClassStatus? Status { get; set; }
}

public sealed record GatewayClassSpec
{
    public required string ControllerName { get; init; }
    public ParametersReference? ParametersRef { get; init; }
    public string? Description { get; init; }
}

public sealed record ParametersReference
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
}

public sealed record GatewayClassStatus
{
    public List<V1Condition> Conditions { get; init; } = [];
    public List<SupportedFeature>? SupportedFeatures { get; init; }
}
