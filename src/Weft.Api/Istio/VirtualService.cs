using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Weft.Api.Istio;

/// <summary>
/// Istio's routing rules for a host. Weft applies the HTTP routes of VirtualServices bound to the
/// mesh (no `gateways`, or `mesh` among them) to calls between workloads; the parts it does not
/// apply yet are reported as WEFT0101, never ignored silently.
/// </summary>
public sealed class VirtualService : IKubernetesObject<V1ObjectMeta>, ISpec<VirtualServiceSpec>
{
    public const string KindName = "VirtualService";

    public string ApiVersion { get; set; } = IstioNetworkingGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public VirtualServiceSpec Spec { get; set; } = new();
}

public sealed record VirtualServiceSpec
{
    public List<string> Hosts { get; init; } = [];
    public List<string>? Gateways { get; init; }
    public List<IstioHttpRoute>? Http { get; init; }
    public List<string>? ExportTo { get; init; }

    // Not applied yet (reported): TCP and TLS routes.
    public JsonNode? Tcp { get; init; }
    public JsonNode? Tls { get; init; }
}

public sealed record IstioHttpRoute
{
    public string? Name { get; init; }
    public List<IstioHttpMatch>? Match { get; init; }
    public List<IstioHttpRouteDestination>? Route { get; init; }
    public IstioHttpRedirect? Redirect { get; init; }
    public IstioHttpRewrite? Rewrite { get; init; }

    /// <summary>A duration such as "10s" or "0.5s".</summary>
    public string? Timeout { get; init; }
    public IstioHeaders? Headers { get; init; }

    // Not applied yet (reported).
    public JsonNode? Retries { get; init; }
    public JsonNode? Fault { get; init; }
    public JsonNode? Mirror { get; init; }
    public JsonNode? MirrorPercentage { get; init; }
    public JsonNode? Mirrors { get; init; }
    public JsonNode? CorsPolicy { get; init; }
    public JsonNode? DirectResponse { get; init; }
    public JsonNode? Delegate { get; init; }
}

public sealed record IstioHttpMatch
{
    public string? Name { get; init; }
    public IstioStringMatch? Uri { get; init; }
    public IstioStringMatch? Scheme { get; init; }
    public IstioStringMatch? Method { get; init; }
    public IstioStringMatch? Authority { get; init; }
    public Dictionary<string, IstioStringMatch>? Headers { get; init; }
    public Dictionary<string, IstioStringMatch>? QueryParams { get; init; }
    public Dictionary<string, IstioStringMatch>? WithoutHeaders { get; init; }
    public int? Port { get; init; }
    public Dictionary<string, string>? SourceLabels { get; init; }
    public List<string>? Gateways { get; init; }
    public string? SourceNamespace { get; init; }
    public bool? IgnoreUriCase { get; init; }
}

/// <summary>One of exact, prefix or regex.</summary>
public sealed record IstioStringMatch
{
    public string? Exact { get; init; }
    public string? Prefix { get; init; }
    public string? Regex { get; init; }
}

public sealed record IstioHttpRouteDestination
{
    public required IstioDestination Destination { get; init; }
    public int? Weight { get; init; }
    public IstioHeaders? Headers { get; init; }
}

public sealed record IstioDestination
{
    public required string Host { get; init; }
    public string? Subset { get; init; }
    public IstioPortSelector? Port { get; init; }
}

public sealed record IstioPortSelector
{
    public int? Number { get; init; }
}

public sealed record IstioHeaders
{
    public IstioHeaderOperations? Request { get; init; }
    public IstioHeaderOperations? Response { get; init; }
}

public sealed record IstioHeaderOperations
{
    public Dictionary<string, string>? Set { get; init; }
    public Dictionary<string, string>? Add { get; init; }
    public List<string>? Remove { get; init; }
}

public sealed record IstioHttpRedirect
{
    public string? Uri { get; init; }
    public string? Authority { get; init; }
    public int? Port { get; init; }
    public string? Scheme { get; init; }
    public int? RedirectCode { get; init; }
    public JsonNode? DerivePort { get; init; }
}

public sealed record IstioHttpRewrite
{
    public string? Uri { get; init; }
    public string? Authority { get; init; }
    public JsonNode? UriRegexRewrite { get; init; }
}
