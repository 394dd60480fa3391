using System.Net;
using Microsoft.AspNetCore.Http;
using Weft.Proxy.Filters;
using Weft.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// Request and response shaping for one backend of one route, compiled once per snapshot. YARP's
/// base transformer copies headers but drops the client's Host (so the upstream would see the
/// endpoint address); a gateway must preserve it, so Host is always set here.
/// </summary>
internal sealed class ForwardTransformer : HttpTransformer
{
    private const string ForwardedFor = "X-Forwarded-For";
    private const string ForwardedProto = "X-Forwarded-Proto";
    private const string ForwardedHost = "X-Forwarded-Host";

    private readonly string? _hostname;
    private readonly PathRewrite? _path;
    private readonly HeaderModifier[] _responseModifiers;
    private readonly CorsPolicy? _cors;
    private readonly RouteModel _route;

    public ForwardTransformer(RouteModel route, string? hostname, PathRewrite? path, HeaderModifier[] responseModifiers, CorsPolicy? cors = null)
    {
        _cors = cors;
        _route = route;
        _hostname = hostname;
        _path = path;
        _responseModifiers = responseModifiers;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        // The path and query go upstream as the client sent them (after path normalization, which
        // already replaced the raw target when it changed anything); only a rewrite filter changes them.
        if (RequestTarget.TryGet(httpContext, out var path, out var query))
        {
            if (_path is not null)
            {
                proxyRequest.RequestUri = RequestTarget.Destination(destinationPrefix, _path.Apply(RequestTarget.PathString(request, path)), query);
            }
            else if (!RequestTarget.DefaultUriIsExact(request, path))
            {
                proxyRequest.RequestUri = RequestTarget.Destination(destinationPrefix, path, query);
            }
        }
        else if (_path is not null)
        {
            var rewritten = _path.Apply(request.Path.HasValue ? request.Path.Value! : "/");
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(rewritten), request.QueryString);
        }

        var headers = proxyRequest.Headers;
        var host = request.Host.Value;
        headers.Remove("Host");
        headers.TryAddWithoutValidation("Host", _hostname ?? host);

        var remote = httpContext.Connection.RemoteIpAddress;
        if (remote is not null)
        {
            var client = (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
            var prior = request.Headers[ForwardedFor];
            headers.Remove(ForwardedFor);
            headers.TryAddWithoutValidation(ForwardedFor, prior.Count == 0 ? client : string.Concat(prior.ToString(), ", ", client));
        }

        // This proxy is the edge: what it saw is the truth, whatever the client claimed.
        headers.Remove(ForwardedProto);
        headers.TryAddWithoutValidation(ForwardedProto, request.Scheme);
        if (!string.IsNullOrEmpty(host))
        {
            headers.Remove(ForwardedHost);
            headers.TryAddWithoutValidation(ForwardedHost, host);
        }

        // x-request-id was settled by the handler (RequestIds), and copied with the other headers.
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return proceed;
        }

        // An accepted upgrade (101, or 200 to an HTTP/2 extended CONNECT) ends the HTTP exchange the
        // route's deadline covers; the upgraded stream lives on without it.
        if ((proxyResponse.StatusCode == HttpStatusCode.SwitchingProtocols
                || (proxyResponse.StatusCode == HttpStatusCode.OK && proxyResponse.RequestMessage?.Method == HttpMethod.Connect))
            && httpContext.Features.Get<UpgradeDeadline>() is { } deadline)
        {
            deadline.Disarm();
        }

        var headers = httpContext.Response.Headers;

        // CORS first: the route's ResponseHeaderModifier is the user's last word.
        _cors?.ApplyToResponse(httpContext);
        HeaderModifier.ApplyAll(_responseModifiers, headers);
        if (DebugHeaders.IsRequested(httpContext.Request))
        {
            headers[DebugHeaders.Route] = _route.DisplayName;
        }

        return proceed;
    }
}
