using System.Globalization;
using Microsoft.AspNetCore.Http;
using Weft.Ir;
using Weft.Routing;

namespace Weft.Proxy.Filters;

/// <summary>A compiled RequestRedirect: answers with an absolute Location and the configured status.</summary>
internal sealed class RedirectAction
{
    private readonly string? _scheme;
    private readonly string? _hostname;
    private readonly int? _port;
    private readonly PathRewrite? _path;
    private readonly int _statusCode;

    public RedirectAction(RequestRedirectIr ir, PathRewrite? path)
    {
        _scheme = ir.Scheme?.ToLowerInvariant();
        _hostname = ir.Hostname;
        _port = ir.Port;
        _path = path;
        _statusCode = ir.StatusCode;
    }

    /// <param name="path">The path the route matched: the raw (still percent-encoded) path after normalization.</param>
    public void Apply(HttpContext context, int listenerPort, string path)
    {
        var request = context.Request;
        var scheme = _scheme ?? request.Scheme;
        var host = _hostname ?? HostName.Normalize(request.Host.Value).ToString();

        // Gateway API: with no port, a redirect that sets the scheme goes to that scheme's well-known
        // port; one that keeps the scheme stays on the listener's port. The port is left out of
        // Location when it is the scheme's default.
        var port = _port ?? (_scheme is null ? listenerPort : DefaultPort(_scheme) ?? listenerPort);
        if (_path is not null)
        {
            path = _path.Apply(path);
        }

        var location = DefaultPort(scheme) == port
            ? string.Concat(scheme, "://", host, path, request.QueryString.Value)
            : string.Concat(scheme, "://", host, ":", port.ToString(CultureInfo.InvariantCulture), path, request.QueryString.Value);

        context.Response.StatusCode = _statusCode;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
    }

    private static int? DefaultPort(string scheme) => scheme switch
    {
        "http" => 80,
        "https" => 443,
        _ => null,
    };
}
