using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Weft.Ir;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// A route's timeouts, compiled once per snapshot. "request" bounds the whole transaction and
/// "backendRequest" one upstream attempt (request sent → full response received). Weft makes one
/// attempt per request (no retries yet) and starts it in the same synchronous section of the handler
/// that receives the request, so one deadline at the smaller of the two enforces both; when retries
/// come, each attempt gets its own backendRequest deadline inside the request's.
/// </summary>
internal sealed class RouteTimeouts
{
    /// <summary>YARP's idle timeout when none is configured: it must not cut a route's longer deadline short.</summary>
    private static readonly TimeSpan ForwarderDefaultActivityTimeout = TimeSpan.FromSeconds(100);

    private RouteTimeouts(TimeSpan attempt) => Attempt = attempt;

    /// <summary>The deadline of the (single) upstream attempt.</summary>
    public TimeSpan Attempt { get; }

    /// <summary>Null when the route sets no timeout ("0s" arrives as no timeout) and there is no default.</summary>
    /// <param name="defaultTimeout">
    /// The proxy's <see cref="GatewayProxyOptions.DefaultRouteTimeout"/>, for a route whose IR sets
    /// neither timeout. Without either, a request has no overall deadline: only YARP's 100 s activity
    /// timeout (no bytes either way for 100 s) ends it.
    /// </param>
    public static RouteTimeouts? Compile(TimeoutsIr? ir, TimeSpan? defaultTimeout = null)
    {
        if (ir?.Request is null && ir?.BackendRequest is null && defaultTimeout is { } fallback && fallback > TimeSpan.Zero)
        {
            return new RouteTimeouts(fallback);
        }

        var attempt = (ir?.Request, ir?.BackendRequest) switch
        {
            ({ } r, { } b) => r < b ? r : b,
            ({ } r, null) => r,
            (null, { } b) => b,
            _ => (TimeSpan?)null,
        };
        return attempt is { } a && a > TimeSpan.Zero ? new RouteTimeouts(a) : null;
    }

    /// <summary>
    /// The forwarder settings for a backend of this route: the cluster's, with YARP's idle timeout
    /// raised to the deadline when the deadline is longer (else a quiet upstream would get 504 at 100 s).
    /// </summary>
    public static Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig RequestConfig(Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig cluster, RouteTimeouts? timeouts) =>
        timeouts is { } t && t.Attempt > (cluster.ActivityTimeout ?? ForwarderDefaultActivityTimeout)
            ? cluster with { ActivityTimeout = t.Attempt }
            : cluster;
}

/// <summary>
/// The per-request deadline of a route with timeouts: a pooled <see cref="CancellationTokenSource"/>
/// armed with CancelAfter and handed to the forwarder. A source that did not fire is reset and reused
/// (its timer object too), so a route with timeouts costs no allocation per request in the steady state.
/// </summary>
internal static class RequestDeadline
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<CancellationTokenSource> Pool = new();
    private static int s_pooled;

    public static CancellationTokenSource Start(HttpContext context, RouteTimeouts timeouts)
    {
        if (Pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            source = new CancellationTokenSource();
        }

        source.CancelAfter(timeouts.Attempt);

        // An upgraded connection (WebSocket) lives as long as its peers want: the deadline covers the
        // upgrade handshake only, and ForwardTransformer disarms it on 101. Only upgrade requests pay
        // for the feature.
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true)
        {
            context.Features.Set(new UpgradeDeadline(source));
        }

        return source;
    }

    /// <summary>Ends the deadline; true when it fired (the attempt timed out).</summary>
    public static bool End(CancellationTokenSource source)
    {
        var fired = source.IsCancellationRequested;
        if (!fired && source.TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(source);
                return false;
            }

            Interlocked.Decrement(ref s_pooled);
        }

        source.Dispose();
        return fired;
    }
}

/// <summary>Set on upgrade requests with a deadline, so the response transform can disarm it once the upgrade is accepted.</summary>
internal sealed class UpgradeDeadline(CancellationTokenSource source)
{
    public void Disarm() => source.CancelAfter(Timeout.InfiniteTimeSpan);
}
