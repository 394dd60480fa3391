using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>, ISpec<HttpRouteSpec>
{
    public const string KindName = "HTTPRoute";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public HttpRouteSpec Spec { get; set; } = new();
    public RouteStatus? Status { get; set; }
}

public sealed record HttpRouteSpec
{
    public List<ParentReference>? ParentRefs { get; init; }
    public List<string>? Hostnames { get; init; }
    public List<HttpRouteRule>? Rules { get; init; }

    /// <summary>Experimental (GEP-3793): All or None.</summary>
    public string? UseDefaultGateways { get; init; }
}

public sealed record HttpRouteRule
{
    public string? Name { get; init; }
    public List<HttpRouteMatch>? Matches { get; init; }
    public List<HttpRouteFilter>? Filters { get; init; }
    public List<HttpBackendRef>? BackendRefs { get; init; }
    public HttpRouteTimeouts? Timeouts { get; init; }
    public HttpRouteRetry? Retry { get; init; }
    public SessionPersistence? SessionPersistence { get; init; }
}

public sealed record HttpRouteMatch
{
    public HttpPathMatch? Path { get; init; }
    public List<HttpHeaderMatch>? Headers { get; init; }
    public List<HttpQueryParamMatch>? QueryParams { get; init; }
    public string? Method { get; init; }
}

public sealed record HttpPathMatch
{
    /// <summary>Exact, PathPrefix (default), or RegularExpression.</summary>
    public string? Type { get; init; }
    public string? Value { get; init; }
}

public sealed record HttpHeaderMatch
{
    /// <summary>Exact (default) or RegularExpression.</summary>
    public string? Type { get; init; }
    public required string Name { get; init; }
    public required string Value { get; init; }
}

public sealed record HttpQueryParamMatch
{
    public string? Type { get; init; }
    public required string Name { get; init; }
    public required string Value { get; init; }
}

public sealed record HttpRouteFilter
{
    /// <summary>RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror, CORS, ExternalAuth, ExtensionRef.</summary>
    public required string Type { get; init; }
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }
    public HttpRequestRedirectFilter? RequestRedirect { get; init; }
    public HttpUrlRewriteFilter? UrlRewrite { get; init; }
    public HttpRequestMirrorFilter? RequestMirror { get; init; }
    public HttpCorsFilter? Cors { get; init; }
    public LocalObjectReference? ExtensionRef { get; init; }

    /// <summary>Experimental: ask an external authorization service (ext_authz over HTTP or gRPC).</summary>
    public HttpExternalAuthFilter? ExternalAuth { get; init; }
}

public sealed record HttpExternalAuthFilter
{
    /// <summary>HTTP or GRPC.</summary>
    public required string Protocol { get; init; }
    public required BackendObjectReference BackendRef { get; init; }
    public GrpcAuthConfig? Grpc { get; init; }
    public HttpAuthConfig? Http { get; init; }
    public ForwardBodyConfig? ForwardBody { get; init; }
}

public sealed record GrpcAuthConfig
{
    public List<string>? AllowedHeaders { get; init; }
}

public sealed record HttpAuthConfig
{
    public string? Path { get; init; }
    public List<string>? AllowedHeaders { get; init; }
    public List<string>? AllowedResponseHeaders { get; init; }
}

public sealed record ForwardBodyConfig
{
    public int? MaxSize { get; init; }
}

public sealed record LocalObjectReference
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
}

public sealed record HttpHeader
{
    public required string Name { get; init; }
    public required string Value { get; init; }
}

public sealed record HttpHeaderFilter
{
    public List<HttpHeader>? Set { get; init; }
    public List<HttpHeader>? Add { get; init; }
    public List<string>? Remove { get; init; }
}

public sealed record HttpPathModifier
{
    /// <summary>ReplaceFullPath or ReplacePrefixMatch.</summary>
    public required string Type { get; init; }
    public string? ReplaceFullPath { get; init; }
    public string? ReplacePrefixMatch { get; init; }
}

public sealed record HttpRequestRedirectFilter
{
    public string? Scheme { get; init; }
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
    public int? Port { get; init; }
    public int? StatusCode { get; init; }
}

public sealed record HttpUrlRewriteFilter
{
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
}

public sealed record HttpRequestMirrorFilter
{
    public required BackendObjectReference BackendRef { get; init; }
    public int? Percent { get; init; }
    public Fraction? Fraction { get; init; }
}

public sealed record Fraction
{
    public required int Numerator { get; init; }
    public int? Denominator { get; init; }
}

public sealed record HttpCorsFilter
{
    public List<string>? AllowOrigins { get; init; }
    public bool? AllowCredentials { get; init; }
    public List<string>? AllowMethods { get; init; }
    public List<string>? AllowHeaders { get; init; }
    public List<string>? ExposeHeaders { get; init; }
    public int? MaxAge { get; init; }
}

public sealed record BackendObjectReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
    public int? Port { get; init; }
}

public sealed record HttpBackendRef
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
    public int? Port { get; init; }
    public int? Weight { get; init; }
    public List<HttpRouteFilter>? Filters { get; init; }
}

public sealed record HttpRouteTimeouts
{
    /// <summary>Gateway API duration strings, e.g. "10s", "500ms", "1h".</summary>
    public string? Request { get; init; }
    public string? BackendRequest { get; init; }
}

public sealed record HttpRouteRetry
{
    public List<int>? Codes { get; init; }
    public int? Attempts { get; init; }
    public string? Backoff { get; init; }
}

public sealed record SessionPersistence
{
    public string? SessionName { get; init; }
    public string? AbsoluteTimeout { get; init; }
    public string? IdleTimeout { get; init; }
    public string? Type { get; init; }
    public CookieConfig? CookieConfig { get; init; }
}

public sealed record CookieConfig
{
    public string? LifetimeType { get; init; }
}
