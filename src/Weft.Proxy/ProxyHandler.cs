using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Weft.Proxy.Filters;
using Weft.Proxy.Forwarding;
using Weft.Proxy.Listeners;
using Weft.Proxy.Model;
using Weft.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy;

/// <summary>
/// The request path: route lookup → route filters → backend choice → cluster endpoint → YARP forwarder.
/// Everything it touches was compiled with the snapshot; it takes no locks and reads the model once.
/// </summary>
internal sealed class ProxyHandler(IHttpForwarder forwarder, HttpMessageInvoker invoker, ILogger logger, GatewayProxyOptions options, TimeProvider time)
{
    private readonly Telemetry.UpstreamFailureLog _failures = new(logger, time);

    /// <param name="serving">What the accepting socket serves now (<see cref="PortServer.Current"/>), read once per request.</param>
    public Task HandleAsync(HttpContext context, ServingPort serving)
    {
        // The scheme is the port's, not whatever an HTTP/2 client put in :scheme.
        context.Request.Scheme = serving.Port.Ir.Protocol == Weft.Ir.ListenerProtocol.Https ? "https" : "http";
        if (!TryResolvePath(context, out var path))
        {
            return Task.CompletedTask;
        }

        if (options.MaxRequestBodySize is { } limit && context.Request.ContentLength > limit)
        {
            // Refused whole, before any of it is forwarded (Kestrel would only fail the read part-way).
            return Reply(context, StatusCodes.Status413PayloadTooLarge, ResponseFlags.RequestBodyTooLarge, null);
        }

        var lookup = serving.Model.Table.Lookup(serving.Port, new HttpContextRouteRequest(context.Request, path));
        if (!lookup.IsMatch)
        {
            return Reply(context, StatusCodes.Status404NotFound, ResponseFlags.NoRoute, null);
        }

        var route = lookup.Route!;
        var action = serving.Model.Routes[route.Id];
        HeaderModifier.ApplyAll(action.RequestModifiers, context.Request.Headers);

        if (action.Cors is { } cors && CorsPolicy.IsPreflight(context.Request))
        {
            // A preflight is the gateway's to answer: the upstream never sees it.
            cors.AnswerPreflight(context);
            HeaderModifier.ApplyAll(action.ResponseModifiers, context.Response.Headers);
            DebugHeaders.Add(context, null, route);
            return Task.CompletedTask;
        }

        if (action.Redirect is { } redirect)
        {
            redirect.Apply(context, serving.Port.Port, path);
            action.Cors?.ApplyToResponse(context);
            HeaderModifier.ApplyAll(action.ResponseModifiers, context.Response.Headers);
            DebugHeaders.Add(context, null, route);
            return Task.CompletedTask;
        }

        // Before the mirrors, so a mirrored copy carries the same id. An edge proxy does not trust a
        // client's id (it would let clients forge or collide log correlation) unless told to.
        var requestHeaders = context.Request.Headers;
        if (!options.PreserveExternalRequestId || !RequestIds.IsWellFormed(requestHeaders[RequestIds.Header]))
        {
            requestHeaders[RequestIds.Header] = RequestIds.Next();
        }

        if (action.Mirrors.Length != 0)
        {
            RequestMirror.SendAll(action.Mirrors, context, path, invoker, logger);
        }

        var pick = route.Backends.Pick(Random.Shared);
        if (pick < 0)
        {
            // No backends, or all weighted 0: the route accepts traffic it cannot send anywhere.
            return Reply(context, StatusCodes.Status500InternalServerError, null, route);
        }

        var backend = action.Backends[pick];
        if (backend.Cluster is not { } cluster)
        {
            return Reply(context, StatusCodes.Status500InternalServerError, null, route);
        }

        var destination = cluster.NextDestination();
        if (destination is null)
        {
            return Reply(context, StatusCodes.Status503ServiceUnavailable, ResponseFlags.NoHealthyUpstream, route);
        }

        HeaderModifier.ApplyAll(backend.RequestModifiers, context.Request.Headers);
        return ForwardAsync(context, route, backend, destination, action.Timeouts);
    }

    private async Task ForwardAsync(HttpContext context, RouteModel route, BackendAction backend, string destination, RouteTimeouts? timeouts)
    {
        // No token without a deadline: the forwarder already links its per-request token to
        // context.RequestAborted, and passing that token again would register a second, redundant
        // callback on every request.
        var deadline = timeouts is null ? null : RequestDeadline.Start(context, timeouts);
        ForwarderError error;
        var timedOut = false;
        try
        {
            // A TLS cluster has a client of its own (its handshake settings); others share one.
            var client = backend.Cluster?.Invoker ?? invoker;
            error = await (deadline is null
                ? forwarder.SendAsync(context, destination, client, backend.RequestConfig, backend.Transformer)
                : forwarder.SendAsync(context, destination, client, backend.RequestConfig, backend.Transformer, deadline.Token))
                .ConfigureAwait(false);
        }
        finally
        {
            if (deadline is not null)
            {
                timedOut = RequestDeadline.End(deadline);
            }
        }

        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        string? flag = null;
        if (!context.Response.HasStarted)
        {
            // YARP answers 502 for every request failure; a refused or timed-out connect is "no
            // healthy upstream" to the client, as Envoy reports it. The route's deadline firing
            // reaches YARP as a cancellation (502 too): to the client it is a gateway timeout.
            if (timedOut && !context.RequestAborted.IsCancellationRequested)
            {
                flag = ResponseFlags.UpstreamTimeout;
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            }
            else if (error == ForwarderError.Request && IsConnectFailure(exception))
            {
                flag = ResponseFlags.UpstreamConnectFailure;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            }
            else if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                // A chunked body grew past MaxRequestBodySize: YARP aborted the upstream request.
                flag = ResponseFlags.RequestBodyTooLarge;
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            }
            else if (error == ForwarderError.RequestTimedOut)
            {
                flag = ResponseFlags.UpstreamTimeout;
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            }

            DebugHeaders.Add(context, flag, route);
        }

        flag ??= Classify(context, error);
        _failures.Failed(backend.Cluster?.Name ?? "", destination, route.DisplayName, flag, error, exception);
    }

    /// <summary>
    /// The path routes match and the upstream receives: the raw target's path after
    /// <see cref="PathNormalizer"/>. False when the request was answered here (400 for an escaped slash
    /// the settings reject, 307 for one they redirect).
    /// </summary>
    private bool TryResolvePath(HttpContext context, out string path)
    {
        var request = context.Request;
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>();
        var raw = feature?.RawTarget;
        if (raw is null || !RequestTarget.TrySplit(raw, out var pathStart, out var queryStart))
        {
            // Asterisk ("OPTIONS *") or authority form (CONNECT): no path to normalize.
            path = request.Path.HasValue ? request.Path.Value! : "/";
            return true;
        }

        var rawPath = raw.AsSpan(pathStart, queryStart - pathStart);
        var verdict = PathNormalizer.Normalize(rawPath, options.PathNormalization, out var changed);
        if (verdict == PathVerdict.Reject)
        {
            path = "";
            Reply(context, StatusCodes.Status400BadRequest, ResponseFlags.InvalidPath, null);
            return false;
        }

        if (changed is null)
        {
            path = RequestTarget.PathString(request, rawPath);
            return true;
        }

        path = changed;
        if (verdict == PathVerdict.Redirect)
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = string.Concat(changed, raw.AsSpan(queryStart));
            context.Response.ContentLength = 0;
            return false;
        }

        // Envoy forwards the normalized path too: the upstream must act on the path that was routed.
        feature!.RawTarget = string.Concat(changed, raw.AsSpan(queryStart));
        return true;
    }

    /// <summary>The flag of a failure that kept YARP's status (or came after the response started).</summary>
    private static string Classify(HttpContext context, ForwarderError error) => error switch
    {
        _ when context.RequestAborted.IsCancellationRequested => ResponseFlags.DownstreamConnectionTermination,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient
            => ResponseFlags.DownstreamConnectionTermination,
        ForwarderError.RequestTimedOut => ResponseFlags.UpstreamTimeout,
        _ => ResponseFlags.UpstreamConnectionTermination,
    };

    private static bool IsConnectFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || exception?.InnerException is SocketException;

    private static Task Reply(HttpContext context, int statusCode, string? flag, RouteModel? route)
    {
        if (GrpcLocalReply.IsGrpc(context.Request))
        {
            GrpcLocalReply.Write(context, statusCode);
        }
        else
        {
            context.Response.StatusCode = statusCode;
        }

        context.Response.ContentLength = 0;
        DebugHeaders.Add(context, flag, route);
        return Task.CompletedTask;
    }
}
