using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

public sealed class ReferenceGrant : IKubernetesObject<V1ObjectMeta>, ISpec<ReferenceGrantSpec>
{
    public const string KindName = "ReferenceGrant";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1Beta1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public ReferenceGrantSpec Spec { get; set; } = new();
}

public sealed record ReferenceGrantSpec
{
    public List<ReferenceGrantFrom> From { get; init; } = [];
    public List<ReferenceGrantTo> To { get; init; } = [];
}

public sealed record ReferenceGrantFrom
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public required string Namespace { get; init; }
}

public sealed record ReferenceGrantTo
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public string? Name { get; init; }
}
