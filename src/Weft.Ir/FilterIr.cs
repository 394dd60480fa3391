using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Weft.Ir;

/// <summary>A route or backend filter. Each kind is its own record; the proxy compiles each once per snapshot.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RequestHeaderModifierIr), "RequestHeaderModifier")]
[JsonDerivedType(typeof(ResponseHeaderModifierIr), "ResponseHeaderModifier")]
[JsonDerivedType(typeof(RequestRedirectIr), "RequestRedirect")]
[JsonDerivedType(typeof(UrlRewriteIr), "URLRewrite")]
[JsonDerivedType(typeof(RequestMirrorIr), "RequestMirror")]
[JsonDerivedType(typeof(CorsIr), "CORS")]
public abstract record FilterIr;

public sealed record HeaderValueIr(string Name, string Value);

public sealed record HeaderModifierIr
{
    public ImmutableArray<HeaderValueIr> Set { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<HeaderValueIr> Add { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<string> Remove { get; init => field = value.OrEmpty(); } = [];
}

public sealed record RequestHeaderModifierIr(HeaderModifierIr Modifier) : FilterIr;

public sealed record ResponseHeaderModifierIr(HeaderModifierIr Modifier) : FilterIr;

public enum PathModifierType
{
    ReplaceFullPath,
    ReplacePrefixMatch,
}

public sealed record PathModifierIr
{
    public required PathModifierType Type { get; init; }
    public required string Value { get; init; }
}

public sealed record RequestRedirectIr : FilterIr
{
    public string? Scheme { get; init; }
    public string? Hostname { get; init; }
    public PathModifierIr? Path { get; init; }
    public int? Port { get; init; }
    public int StatusCode { get; init; } = 302;
}

public sealed record UrlRewriteIr : FilterIr
{
    public string? Hostname { get; init; }
    public PathModifierIr? Path { get; init; }
}

/// <summary>
/// A copy of the request sent to another cluster, fire and forget: its response is discarded and it
/// never delays or fails the request itself. Sent for <see cref="Numerator"/> of every
/// <see cref="Denominator"/> requests (both 1 = every request).
/// </summary>
public sealed record RequestMirrorIr : FilterIr
{
    public required string Cluster { get; init; }
    public int Numerator { get; init; } = 1;
    public int Denominator { get; init; } = 1;
}

/// <summary>
/// Cross-origin resource sharing: the proxy answers preflight requests itself and adds the
/// Access-Control-* headers to responses for allowed origins. "*" in AllowOrigins, AllowMethods,
/// AllowHeaders or ExposeHeaders is the spec's wildcard; an origin's host may start with "*.".
/// </summary>
public sealed record CorsIr : FilterIr
{
    public ImmutableArray<string> AllowOrigins { get; init => field = value.OrEmpty(); } = [];
    public bool AllowCredentials { get; init; }
    public ImmutableArray<string> AllowMethods { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<string> AllowHeaders { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<string> ExposeHeaders { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Seconds a preflight answer may be cached (Access-Control-Max-Age).</summary>
    public int MaxAge { get; init; } = 5;
}
