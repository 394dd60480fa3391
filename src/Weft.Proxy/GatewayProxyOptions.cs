namespace Weft.Proxy;

/// <summary>Host settings of the gateway proxy (not part of the snapshot).</summary>
public sealed partial record GatewayProxyOptions
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

    /// <summary>
    /// The deadline (504, flag UT) of a route whose IR sets no timeout; null (the default) for none, in
    /// which case only YARP's 100 s activity timeout (nothing sent or received for 100 s) ends a slow
    /// upstream exchange. Envoy's route default is 15 s. A route's own <c>timeouts.request</c> or
    /// <c>backendRequest</c> always wins.
    /// </summary>
    public TimeSpan? DefaultRouteTimeout { get; init; }

    /// <summary>
    /// Envoy's <c>preserve_external_request_id</c>: false (the default, for an edge gateway) replaces a
    /// client's x-request-id with a new one; true keeps it when well-formed (1–128 visible ASCII characters).
    /// </summary>
    public bool PreserveExternalRequestId { get; init; }

    /// <summary>How long a port being removed (or every port, at shutdown) may take to finish its in-flight requests before they are aborted.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At shutdown, how long the proxy keeps accepting and serving after its readiness turned 503 and
    /// before it stops accepting and drains: the time a load balancer or kubelet needs to notice and
    /// send new connections elsewhere (Istio's drain duration plays this part). 0 (the default) locally,
    /// where nothing watches readiness; something like 5s behind a load balancer.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;
}
