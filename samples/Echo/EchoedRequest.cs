namespace Weft.Samples.Echo;

/// <summary>
/// The JSON body of an echo response: echo-basic's <c>RequestAssertions</c>, field for field and in
/// the same order, because the conformance runner (ours and Go's) decodes exactly these names.
/// </summary>
/// <param name="Path">The raw request target: path and query string as received.</param>
/// <param name="Host">The Host header (HTTP/2 <c>:authority</c>) as received.</param>
/// <param name="Method">The request method.</param>
/// <param name="Proto">Go's protocol string: <c>HTTP/1.1</c>, <c>HTTP/2.0</c>.</param>
/// <param name="Headers">Request headers by Go-canonical name (<c>X-Header-Add</c>), Host excluded, sorted by name as Go's encoder sorts map keys.</param>
/// <param name="Namespace">Identity: NAMESPACE.</param>
/// <param name="Ingress">Identity: INGRESS_NAME.</param>
/// <param name="Service">Identity: SERVICE_NAME.</param>
/// <param name="Pod">Identity: POD_NAME; runners match backends by its prefix.</param>
/// <param name="Tls">Only for requests that arrived over TLS.</param>
public sealed record EchoedRequest(
    string Path,
    string Host,
    string Method,
    string Proto,
    IReadOnlyDictionary<string, string[]> Headers,
    string Namespace,
    string Ingress,
    string Service,
    string Pod,
    EchoedTls? Tls);
