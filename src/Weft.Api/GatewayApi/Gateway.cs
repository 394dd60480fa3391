using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

public sealed class Gateway : IKubernetesObject<V1ObjectMeta>, ISpec<GatewaySpec>
{
    public const string KindName = "Gateway";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public GatewaySpec Spec { get; set; } = new() { GatewayClassName = "" };
    public GatewayStatus? Status { get; set; }
}

public sealed record GatewaySpec
{
    public required string GatewayClassName { get; init; }
    public List<Listener> Listeners { get; init; } = [];
    public List<GatewaySpecAddress>? Addresses { get; init; }
    public GatewayInfrastructure? Infrastructure { get; init; }

    /// <summary>Experimental: which ListenerSets may attach to this Gateway.</summary>
    public AllowedListeners? AllowedListeners { get; init; }

    /// <summary>Experimental (GEP-3793): All or None — whether routes with useDefaultGateways attach to this Gateway.</summary>
    public string? DefaultScope { get; init; }

    /// <summary>Experimental: Gateway-wide TLS settings (client certificate to backends, frontend client validation).</summary>
    public GatewaySpecTlsConfig? Tls { get; init; }
}

public sealed record AllowedListeners
{
    public ListenerNamespaces? Namespaces { get; init; }
}

public sealed record ListenerNamespaces
{
    /// <summary>All, Selector, Same, or None (default).</summary>
    public string? From { get; init; }
    public V1LabelSelector? Selector { get; init; }
}

/// <summary>
/// The spec's GatewayTLSConfig (<c>spec.tls</c>). Named apart from <see cref="GatewayTlsConfig"/>, which is the
/// listener's <c>tls</c> (the spec's older name for ListenerTLSConfig).
/// </summary>
public sealed record GatewaySpecTlsConfig
{
    public GatewayBackendTls? Backend { get; init; }
    public FrontendTlsConfig? Frontend { get; init; }
}

public sealed record GatewayBackendTls
{
    public SecretObjectReference? ClientCertificateRef { get; init; }
}

public sealed record FrontendTlsConfig
{
    public required TlsConfig Default { get; init; }
    public List<TlsPortConfig>? PerPort { get; init; }
}

public sealed record TlsConfig
{
    public FrontendTlsValidation? Validation { get; init; }
}

public sealed record TlsPortConfig
{
    public required int Port { get; init; }
    public required TlsConfig Tls { get; init; }
}

public sealed record FrontendTlsValidation
{
    public required List<ObjectReference> CaCertificateRefs { get; init; }

    /// <summary>AllowValidOnly (default) or AllowInsecureFallback.</summary>
    public string? Mode { get; init; }
}

/// <summary>A reference to an object of any kind, possibly in another namespace.</summary>
public sealed record ObjectReference
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
}

public sealed record GatewayInfrastructure
{
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
    public ParametersReference? ParametersRef { get; init; }
}

public sealed record GatewaySpecAddress
{
    public string? Type { get; init; }
    public string? Value { get; init; }
}

public sealed record Listener
{
    public required string Name { get; init; }
    public string? Hostname { get; init; }
    public required int Port { get; init; }
    public required string Protocol { get; init; }
    public GatewayTlsConfig? Tls { get; init; }
    public AllowedRoutes? AllowedRoutes { get; init; }
}

public sealed record GatewayTlsConfig
{
    public string? Mode { get; init; }
    public List<SecretObjectReference>? CertificateRefs { get; init; }
    public Dictionary<string, string>? Options { get; init; }
}

public sealed record AllowedRoutes
{
    public RouteNamespaces? Namespaces { get; init; }
    public List<RouteGroupKind>? Kinds { get; init; }
}

public sealed record RouteNamespaces
{
    /// <summary>Same (default), All, or Selector.</summary>
    public string? From { get; init; }
    public V1LabelSelector? Selector { get; init; }
}

public sealed record GatewayStatus
{
    public List<GatewayStatusAddress>? Addresses { get; init; }
    public List<V1Condition> Conditions { get; init; } = [];
    public List<ListenerStatus> Listeners { get; init; } = [];
}

public sealed record GatewayStatusAddress
{
    public string? Type { get; init; }
    public required string Value { get; init; }
}

public sealed record ListenerStatus
{
    public required string Name { get; init; }
    public List<RouteGroupKind> SupportedKinds { get; init; } = [];
    public int AttachedRoutes { get; init; }
    public List<V1Condition> Conditions { get; init; } = [];
}
