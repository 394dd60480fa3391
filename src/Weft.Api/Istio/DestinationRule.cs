using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Weft.Api.Istio;

/// <summary>
/// Istio's policies for a host's traffic; Weft reads its subsets (named groups of endpoints by
/// label) for VirtualService destinations. Traffic policies are reported as not applied yet.
/// </summary>
public sealed class DestinationRule : IKubernetesObject<V1ObjectMeta>, ISpec<DestinationRuleSpec>
{
    public const string KindName = "DestinationRule";

    public string ApiVersion { get; set; } = IstioNetworkingGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public DestinationRuleSpec Spec { get; set; } = new() { Host = "" };
}

public sealed record DestinationRuleSpec
{
    public required string Host { get; init; }
    public List<DestinationRuleSubset>? Subsets { get; init; }
    public JsonNode? TrafficPolicy { get; init; }
    public List<string>? ExportTo { get; init; }
    public JsonNode? WorkloadSelector { get; init; }
}

public sealed record DestinationRuleSubset
{
    public required string Name { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public JsonNode? TrafficPolicy { get; init; }
}
