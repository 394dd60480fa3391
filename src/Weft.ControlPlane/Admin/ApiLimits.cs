namespace Weft.ControlPlane.Admin;

/// <summary>
/// Limits of `/api/v1/apply` and `/api/v1/delete`. The API runs in the same process as the gateway,
/// so one large or many parallel applies must not take the memory the proxies need.
/// </summary>
public sealed record ApiLimits
{
    /// <summary>
    /// A request body's limit: 3 MiB, the Kubernetes API server's default for a request body
    /// (etcd itself holds an object of at most ~1.5 MiB). A manifest larger than this is split into
    /// several applies, as on a cluster.
    /// </summary>
    public const long DefaultMaxRequestBodyBytes = 3 * 1024 * 1024;

    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Applies and deletes decoded at once; decoding a body of the limit takes tens of MB for a moment.</summary>
    public int MaxConcurrentChanges { get; init; } = 4;

    /// <summary>How long a change waits for a free slot before it is answered 429 with Retry-After.</summary>
    public TimeSpan QueueWait { get; init; } = TimeSpan.FromSeconds(2);
}
