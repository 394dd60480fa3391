using Weft.Proxy.Filters;
using Weft.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Model;

/// <summary>One weighted backend of a route, compiled: its cluster (null = invalid, 500), its filters, its transformer.</summary>
internal sealed class BackendAction(ClusterModel? cluster, HeaderModifier[] requestModifiers, ForwardTransformer transformer, string? invalidReason, ForwarderRequestConfig? requestConfig = null)
{
    public ClusterModel? Cluster { get; } = cluster;

    /// <summary>The cluster's forwarder settings, adjusted for the route (timeouts).</summary>
    public ForwarderRequestConfig RequestConfig { get; } = requestConfig ?? cluster?.RequestConfig ?? ForwarderRequestConfig.Empty;
    public HeaderModifier[] RequestModifiers { get; } = requestModifiers;
    public ForwardTransformer Transformer { get; } = transformer;
    public string? InvalidReason { get; } = invalidReason;
}
