namespace Weft.Proxy.Listeners;

/// <summary>What a connection's first bytes say about the protocol it will speak (h2c preface or TLS ClientHello).</summary>
internal enum FirstBytesVerdict
{
    /// <summary>The h2c preface, or a ClientHello offering "h2" in ALPN: the connection will most likely be HTTP/2.</summary>
    OffersHttp2,

    /// <summary>Anything else: an HTTP/1.1 request, a ClientHello without "h2", or bytes that are neither (the handshake will fail).</summary>
    NoHttp2,

    /// <summary>The preface or the ClientHello has not fully arrived yet.</summary>
    Incomplete,
}
