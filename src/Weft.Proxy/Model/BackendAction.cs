using Weft.Proxy.Filters;
using Weft.Proxy.Forwarding;

namespace Weft.Proxy.Model;

/// <summary>One weighted backend of a route, compiled: its cluster (null = invalid, 500), its filters, its transformer.</summary>
internal sealed class BackendAction(ClusterModel? cluster, HeaderModifier[] requestModifiers, ForwardTransformer transformer, string? invalidReason)
{
    public ClusterModel? Cluster { get; } = cluster;
    public HeaderModifier[] RequestModifiers { get; } = requestModifiers;
    public ForwardTransformer Transformer { get; } = transformer;
    public string? InvalidReason { get; } = invalidReason;
}
