using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Weft.Proxy.Model;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Filters;

/// <summary>
/// A compiled RequestMirror: for its share of requests, a copy goes to another cluster, fire and
/// forget. The copy is built synchronously (the route's request header modifiers and URL rewrite
/// applied, the backend's filters not) and sent in the background; its response is drained and
/// discarded, and nothing about it — failure, slowness — reaches the request itself.
/// Requests with a body are not mirrored yet: copying the body would mean buffering or teeing the
/// client's stream, which must never slow the request down.
/// </summary>
internal sealed partial class RequestMirror
{
    /// <summary>A mirror is abandoned after this long: it must not hold connections for a slow or stuck shadow.</summary>
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(30);

    // Hop-by-hop (RFC 9110 §7.6.1) or set per hop: never copied onto the mirror.
    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length",
    };

    private readonly ClusterModel _cluster;
    private readonly int _numerator;
    private readonly int _denominator;
    private readonly string? _rewriteHost;
    private readonly PathRewrite? _rewritePath;

    public RequestMirror(ClusterModel cluster, int numerator, int denominator, string? rewriteHost, PathRewrite? rewritePath)
    {
        _cluster = cluster;
        _numerator = numerator;
        _denominator = denominator;
        _rewriteHost = rewriteHost;
        _rewritePath = rewritePath;
    }

    public string Cluster => _cluster.Name;

    /// <summary>The compiled cluster copies go to (a reused route action must still point at the served one).</summary>
    public ClusterModel Target => _cluster;

    public static void SendAll(RequestMirror[] mirrors, HttpContext context, string path, HttpMessageInvoker invoker, ILogger logger)
    {
        foreach (var mirror in mirrors)
        {
            if (mirror.Sampled())
            {
                mirror.Send(context, path, invoker, logger);
            }
        }
    }

    private bool Sampled() =>
        _numerator >= _denominator || (_numerator > 0 && Random.Shared.Next(_denominator) < _numerator);

    private void Send(HttpContext context, string path, HttpMessageInvoker invoker, ILogger logger)
    {
        var request = context.Request;
        if (HasBody(context))
        {
            LogSkippedBody(logger, _cluster.Name);
            return;
        }

        var destination = _cluster.NextDestination();
        if (destination is null)
        {
            LogFailed(logger, _cluster.Name, "no endpoints", null);
            return;
        }

        if (_rewritePath is not null)
        {
            path = _rewritePath.Apply(path);
        }

        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), Forwarding.RequestTarget.Destination(destination, path, request.QueryString.Value))
        {
            Version = _cluster.RequestConfig.Version ?? System.Net.HttpVersion.Version11,
            VersionPolicy = _cluster.RequestConfig.VersionPolicy ?? HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var header in request.Headers)
        {
            if (!SkippedHeaders.Contains(header.Key))
            {
                message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        message.Headers.TryAddWithoutValidation("Host", _rewriteHost ?? request.Host.Value);
        // A mirror to a TLS cluster (BackendTLSPolicy) goes through that cluster's client, never in plaintext.
        _ = SendAsync(message, _cluster.Invoker ?? invoker, logger, _cluster.Name);
    }

    private static async Task SendAsync(HttpRequestMessage message, HttpMessageInvoker invoker, ILogger logger, string cluster)
    {
        // Yield first: the send's synchronous part (pool lookup, connect, header write) runs on the
        // thread pool, never on the request's own path.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(MirrorTimeout);
        try
        {
            using var response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);

            // Drained, not just disposed, so an HTTP/1.1 connection goes back to the pool.
            await response.Content.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever happens to a mirror stays with the mirror.
            LogFailed(logger, cluster, e.Message, e);
        }
        finally
        {
            message.Dispose();
        }
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? context.Request.ContentLength > 0;

    [LoggerMessage(20, LogLevel.Debug, "Mirror to {Cluster} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string cluster, string reason, Exception? exception);

    [LoggerMessage(21, LogLevel.Debug, "Request with a body not mirrored to {Cluster}")]
    private static partial void LogSkippedBody(ILogger logger, string cluster);
}
