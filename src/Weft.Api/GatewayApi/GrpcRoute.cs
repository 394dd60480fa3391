using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

/// <summary>
/// GRPCRoute (gateway.networking.k8s.io/v1). Its own types rather than HTTPRoute's, so that the strict
/// codec refuses the HTTP-only fields (path, queryParams, redirects, rewrites) the CRD does not have.
/// </summary>
public sealed class GrpcRoute : IKubernetesObject<V1ObjectMeta>, ISpec<GrpcRouteSpec>
{
    public const string KindName = "GRPCRoute";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public GrpcRouteSpec Spec { get; set; } = new();
    public RouteStatus? Status { get; set; }
}

public sealed record GrpcRouteSpec
{
    public List<ParentReference>? ParentRefs { get; init; }
    public List<string>? Hostnames { get; init; }
    public List<GrpcRouteRule>? Rules { get; init; }

    /// <summary>Experimental (GEP-3793): All or None.</summary>
    public string? UseDefaultGateways { get; init; }
}

public sealed record GrpcRouteRule
{
    public string? Name { get; init; }
    public List<GrpcRouteMatch>? Matches { get; init; }
    public List<GrpcRouteFilter>? Filters { get; init; }
    public List<GrpcBackendRef>? BackendRefs { get; init; }

    /// <summary>Experimental channel.</summary>
    public SessionPersistence? SessionPersistence { get; init; }
}

public sealed record GrpcRouteMatch
{
    public GrpcMethodMatch? Method { get; init; }
    public List<GrpcHeaderMatch>? Headers { get; init; }
}

public sealed record GrpcMethodMatch
{
    /// <summary>Exact (default) or RegularExpression.</summary>
    public string? Type { get; init; }
    public string? Service { get; init; }
    public string? Method { get; init; }
}

public sealed record GrpcHeaderMatch
{
    /// <summary>Exact (default) or RegularExpression.</summary>
    public string? Type { get; init; }
    public required string Name { get; init; }
    public required string Value { get; init; }
}

public sealed record GrpcRouteFilter
{
    /// <summary>RequestHeaderModifier, ResponseHeaderModifier, RequestMirror or ExtensionRef.</summary>
    public required string Type { get; init; }
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }
    public HttpRequestMirrorFilter? RequestMirror { get; init; }
    public LocalObjectReference? ExtensionRef { get; init; }
}

public sealed record GrpcBackendRef
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
    public int? Port { get; init; }
    public int? Weight { get; init; }
    public List<GrpcRouteFilter>? Filters { get; init; }
}

/// <summary>GRPCRoute's filters are a subset of HTTPRoute's with the same fields, so validation and translation share HTTPRoute's.</summary>
public static class GrpcRouteFilters
{
    public static readonly IReadOnlyList<string> Types = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef"];

    public static HttpRouteFilter ToHttpRouteFilter(this GrpcRouteFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new HttpRouteFilter
        {
            Type = filter.Type,
            RequestHeaderModifier = filter.RequestHeaderModifier,
            ResponseHeaderModifier = filter.ResponseHeaderModifier,
            RequestMirror = filter.RequestMirror,
            ExtensionRef = filter.ExtensionRef,
        };
    }

    public static List<HttpRouteFilter>? ToHttpRouteFilters(this List<GrpcRouteFilter>? filters) =>
        filters?.Select(f => f.ToHttpRouteFilter()).ToList();
}
