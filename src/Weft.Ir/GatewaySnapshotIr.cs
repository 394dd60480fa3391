using System.Collections.Immutable;

namespace Weft.Ir;

/// <summary>
/// Everything one gateway proxy is told: the ports it binds, the listeners on each,
/// their virtual hosts and routes (already in precedence order), and the clusters the
/// routes forward to. The proxy never sees a Gateway API type; this is the contract.
/// </summary>
public sealed record GatewaySnapshotIr
{
    /// <summary>The Gateway this proxy serves.</summary>
    public required string GatewayNamespace { get; init; }
    public required string GatewayName { get; init; }

    /// <summary>One entry per bound socket (address and port); listeners sharing a port share it.</summary>
    public ImmutableArray<PortIr> Ports { get; init => field = value.OrEmpty(); } = [];

    public ImmutableArray<ClusterIr> Clusters { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Checks what the proxy relies on; an empty list means the snapshot can be applied.</summary>
    public IReadOnlyList<string> Validate() => IrValidator.Validate(this);
}

/// <summary>A socket the proxy binds, and the listeners that share it.</summary>
public sealed record PortIr
{
    /// <summary>The port as written on the Gateway's listeners (used in redirects and for matching).</summary>
    public required int Port { get; init; }

    /// <summary>Where the proxy binds: in local mode a loopback address and the port plus the offset.</summary>
    public required string BindAddress { get; init; }
    public required int BindPort { get; init; }

    public required ListenerProtocol Protocol { get; init; }

    /// <summary>Listeners on this port, most specific hostname first (exact, then longest wildcard, then any).</summary>
    public ImmutableArray<ListenerIr> Listeners { get; init => field = value.OrEmpty(); } = [];
}

public enum ListenerProtocol
{
    Http,
    Https,
}

public sealed record ListenerIr
{
    public required string Name { get; init; }

    /// <summary>Null matches any host; otherwise an exact name or a "*.suffix" wildcard.</summary>
    public string? Hostname { get; init; }

    /// <summary>The server certificate for HTTPS listeners.</summary>
    public TlsCertificateIr? Certificate { get; init; }

    /// <summary>Hosts in lookup order: exact names, then wildcards longest first, then "*".</summary>
    public ImmutableArray<VirtualHostIr> VirtualHosts { get; init => field = value.OrEmpty(); } = [];
}

public sealed record TlsCertificateIr
{
    public required string CertificatePem { get; init; }
    public required string PrivateKeyPem { get; init; }
}

public sealed record VirtualHostIr
{
    /// <summary>An exact host name, a "*.suffix" wildcard, or "*" for any host.</summary>
    public required string Hostname { get; init; }

    /// <summary>Routes in the Gateway API's precedence order; the first whose match holds wins.</summary>
    public ImmutableArray<RouteIr> Routes { get; init => field = value.OrEmpty(); } = [];
}

public sealed record RouteIr
{
    /// <summary>Stable identity for logs and explain: "namespace/name".</summary>
    public required string RouteNamespace { get; init; }
    public required string RouteName { get; init; }
    public required int RuleIndex { get; init; }
    public required int MatchIndex { get; init; }
    public string? RuleName { get; init; }

    public required MatchIr Match { get; init; }

    /// <summary>Route-level filters, in the order the user wrote them.</summary>
    public ImmutableArray<FilterIr> Filters { get; init => field = value.OrEmpty(); } = [];

    /// <summary>
    /// Weighted backends. A backend whose <see cref="BackendIr.Cluster"/> is null is invalid and
    /// answers 500 for its share of traffic. No backends (and no redirect filter) also answers 500.
    /// </summary>
    public ImmutableArray<BackendIr> Backends { get; init => field = value.OrEmpty(); } = [];

    public TimeoutsIr? Timeouts { get; init; }
}

public sealed record TimeoutsIr
{
    public TimeSpan? Request { get; init; }
    public TimeSpan? BackendRequest { get; init; }
}

public sealed record MatchIr
{
    public PathMatchIr Path { get; init => field = value ?? AnyPath; } = AnyPath;
    public ImmutableArray<StringMatchIr> Headers { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<StringMatchIr> QueryParams { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Upper-case HTTP method, or null for any.</summary>
    public string? Method { get; init; }

    private static readonly PathMatchIr AnyPath = new() { Type = PathMatchType.PathPrefix, Value = "/" };
}

public enum PathMatchType
{
    Exact,
    PathPrefix,
    RegularExpression,
}

public sealed record PathMatchIr
{
    public required PathMatchType Type { get; init; }
    public required string Value { get; init; }
}

public enum StringMatchType
{
    Exact,
    RegularExpression,
}

/// <summary>A header (name compared case-insensitively) or query parameter (case-sensitive) match.</summary>
public sealed record StringMatchIr
{
    public required string Name { get; init; }
    public StringMatchType Type { get; init; } = StringMatchType.Exact;
    public required string Value { get; init; }
}

public sealed record BackendIr
{
    /// <summary>The cluster to forward to; null when the reference is invalid (the share answers 500).</summary>
    public string? Cluster { get; init; }
    public required int Weight { get; init; }

    /// <summary>Why the backend is invalid, for explain and logs.</summary>
    public string? InvalidReason { get; init; }

    public ImmutableArray<FilterIr> Filters { get; init => field = value.OrEmpty(); } = [];
}

public sealed record ClusterIr
{
    /// <summary>"namespace/service:port" for Services; stable across snapshots.</summary>
    public required string Name { get; init; }
    public ImmutableArray<EndpointIr> Endpoints { get; init => field = value.OrEmpty(); } = [];
    public UpstreamProtocol Protocol { get; init; } = UpstreamProtocol.Http1;

    /// <summary>TLS to the endpoints, or null for plaintext.</summary>
    public UpstreamTlsIr? Tls { get; init; }
}

public enum UpstreamProtocol
{
    Http1,
    H2c,
}

public sealed record EndpointIr
{
    public required string Address { get; init; }
    public required int Port { get; init; }
}
