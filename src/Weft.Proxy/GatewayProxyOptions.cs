namespace Weft.Proxy;

/// <summary>Host settings of the gateway proxy (not part of the snapshot).</summary>
public sealed record GatewayProxyOptions
{
    /// <summary>How long an upstream TCP connect may take before the request fails with 503 (UF).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upstream connections are recycled after this long so DNS and endpoint changes are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How the raw request path becomes the path routes match and the upstream receives (Envoy's normalize_path, merge_slashes, path_with_escaped_slashes_action).</summary>
    public Weft.Routing.PathNormalization PathNormalization { get; init; } = Weft.Routing.PathNormalization.Default;

    /// <summary>
    /// The largest request body accepted, in bytes; null (the default) for no limit: bodies are
    /// streamed to the upstream, never buffered. A larger Content-Length is answered 413 before
    /// anything is forwarded; a chunked body that grows past it aborts the upstream request, so the
    /// upstream sees an incomplete body (a reset), never a complete shorter one.
    /// </summary>
    public long? MaxRequestBodySize { get; init; }

    /// <summary>How long a port being removed may take to finish its in-flight requests before they are aborted.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
