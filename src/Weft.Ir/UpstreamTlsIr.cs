using System.Collections.Immutable;

namespace Weft.Ir;

/// <summary>
/// TLS from the proxy to a cluster's endpoints (a BackendTLSPolicy): the SNI to send, what to trust
/// and which names to accept. With nothing to trust (<see cref="TrustedCaPem"/> empty and
/// <see cref="SystemTrust"/> false) every handshake fails: a policy whose CA cannot be resolved
/// must never fall back to plaintext or to trusting anything.
/// </summary>
public sealed record UpstreamTlsIr
{
    /// <summary>Sent as SNI; also the name the certificate must carry when <see cref="SubjectAltNames"/> is empty.</summary>
    public required string Sni { get; init; }

    /// <summary>PEM certificates the server's chain must end in (a custom trust store, system roots not consulted).</summary>
    public ImmutableArray<string> TrustedCaPem { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Trust the platform's root store (wellKnownCACertificates: System).</summary>
    public bool SystemTrust { get; init; }

    /// <summary>When not empty, the certificate must carry at least one of these instead of <see cref="Sni"/>.</summary>
    public ImmutableArray<UpstreamSubjectAltNameIr> SubjectAltNames { get; init => field = value.OrEmpty(); } = [];
}

public sealed record UpstreamSubjectAltNameIr
{
    public required UpstreamSanType Type { get; init; }
    public required string Value { get; init; }
}

public enum UpstreamSanType
{
    /// <summary>A DNS name (DNS SAN; a wildcard in the certificate matches one label).</summary>
    Hostname,

    /// <summary>A URI SAN, compared exactly.</summary>
    Uri,
}
