namespace Weft.Samples.Echo;

/// <summary>echo-basic's <c>TLSAssertions</c>: what the TLS handshake of the request's connection looked like.</summary>
/// <param name="Version"><c>TLSv1.3</c>, <c>TLSv1.2</c>; empty for anything else.</param>
/// <param name="PeerCertificates">The client certificate as PEM; omitted when none was presented. Only the leaf: SslStream does not expose the rest of the chain the client sent.</param>
/// <param name="ServerName">The SNI the client sent (for BackendTLSPolicy tests: the SNI the Gateway used).</param>
/// <param name="NegotiatedProtocol">ALPN result; omitted when empty, as Go's <c>omitempty</c> does.</param>
/// <param name="CipherSuite">IANA cipher-suite name, which is what Go's <c>tls.CipherSuiteName</c> returns.</param>
public sealed record EchoedTls(
    string Version,
    string[]? PeerCertificates,
    string ServerName,
    string? NegotiatedProtocol,
    string CipherSuite);
