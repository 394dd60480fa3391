using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Weft.Ir;

namespace Weft.Proxy.Filters;

/// <summary>
/// A compiled CORS filter. A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
/// answered here with 204 and never forwarded; any other request with an allowed Origin is forwarded
/// and its response gets Access-Control-Allow-Origin (and -Credentials, -Expose-Headers). A request
/// whose Origin is not allowed gets no CORS headers: the browser refuses it, as the spec intends.
/// Header values are joined once here, so a request only compares strings.
/// </summary>
internal sealed class CorsPolicy
{
    private readonly OriginMatcher[] _origins;
    private readonly bool _anyOrigin;
    private readonly bool _credentials;
    private readonly bool _anyMethod;
    private readonly StringValues _methods;
    private readonly bool _anyHeader;
    private readonly StringValues _headers;
    private readonly StringValues _expose;
    private readonly StringValues _maxAge;

    public CorsPolicy(CorsIr ir)
    {
        _anyOrigin = ir.AllowOrigins.Contains("*");
        _origins = [.. ir.AllowOrigins.Where(o => o != "*").Select(OriginMatcher.Parse).OfType<OriginMatcher>()];
        _credentials = ir.AllowCredentials;
        _anyMethod = ir.AllowMethods.Contains("*");
        _methods = _anyMethod || ir.AllowMethods.IsEmpty ? StringValues.Empty : new StringValues(string.Join(", ", ir.AllowMethods));
        _anyHeader = ir.AllowHeaders.Contains("*");
        _headers = _anyHeader || ir.AllowHeaders.IsEmpty ? StringValues.Empty : new StringValues(string.Join(", ", ir.AllowHeaders));

        // "*" exposes every header only without credentials (Fetch); with them it would name a header called "*".
        _expose = ir.ExposeHeaders.IsEmpty || (_credentials && ir.ExposeHeaders.Contains("*"))
            ? StringValues.Empty
            : new StringValues(string.Join(", ", ir.ExposeHeaders));
        _maxAge = new StringValues(ir.MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.ContainsKey(HeaderNames.Origin)
        && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    /// <summary>Answers a preflight: 204, with the Access-Control-* headers when the origin is allowed.</summary>
    public void AnswerPreflight(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        response.ContentLength = 0;
        var headers = response.Headers;
        headers.Vary = HeaderNames.Origin;
        if (!AddOrigin(request.Headers.Origin, headers))
        {
            return;
        }

        if (_anyMethod)
        {
            // With credentials "*" is a method name to the browser: name the one asked for.
            headers.AccessControlAllowMethods = _credentials ? request.Headers.AccessControlRequestMethod : "*";
        }
        else if (_methods.Count != 0)
        {
            headers.AccessControlAllowMethods = _methods;
        }

        if (_anyHeader)
        {
            var requested = request.Headers.AccessControlRequestHeaders;
            if (!_credentials)
            {
                headers.AccessControlAllowHeaders = "*";
            }
            else if (requested.Count != 0)
            {
                headers.AccessControlAllowHeaders = requested;
            }
        }
        else if (_headers.Count != 0)
        {
            headers.AccessControlAllowHeaders = _headers;
        }

        headers.AccessControlMaxAge = _maxAge;
    }

    /// <summary>Adds the CORS headers of an actual (non-preflight) response; replaces what the upstream said.</summary>
    public void ApplyToResponse(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (origin.Count == 0)
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        if (!AddOrigin(origin, headers))
        {
            // The upstream does not get to allow what the gateway's policy does not.
            headers.Remove(HeaderNames.AccessControlAllowOrigin);
            headers.Remove(HeaderNames.AccessControlAllowCredentials);
            return;
        }

        if (_expose.Count != 0)
        {
            headers.AccessControlExposeHeaders = _expose;
        }
    }

    private bool AddOrigin(StringValues origin, IHeaderDictionary headers)
    {
        if (origin.Count != 1 || !Allows(origin[0]!))
        {
            return false;
        }

        // "*" only without credentials; with them the browser needs the origin itself.
        headers.AccessControlAllowOrigin = _anyOrigin && !_credentials ? "*" : origin;
        if (_credentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
        else
        {
            headers.Remove(HeaderNames.AccessControlAllowCredentials);
        }

        return true;
    }

    private bool Allows(string origin)
    {
        if (_anyOrigin)
        {
            return true;
        }

        foreach (var matcher in _origins)
        {
            if (matcher.Matches(origin))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One allowed origin: scheme, host (exact, or "*" greedy to the left), port (the scheme's default when absent).</summary>
    private sealed class OriginMatcher
    {
        private readonly string _scheme;
        private readonly string _host;
        private readonly bool _wildcard;
        private readonly int _port;

        private OriginMatcher(string scheme, string host, bool wildcard, int port)
        {
            _scheme = scheme;
            _host = host;
            _wildcard = wildcard;
            _port = port;
        }

        public static OriginMatcher? Parse(string text)
        {
            if (!TrySplit(text, out var scheme, out var host, out var port))
            {
                return null;
            }

            // "*.example.com" → suffix ".example.com"; a lone "*" host matches every host of the scheme and port.
            return host.StartsWith('*')
                ? new OriginMatcher(scheme, host[1..], wildcard: true, port)
                : new OriginMatcher(scheme, host, wildcard: false, port);
        }

        public bool Matches(string origin)
        {
            if (!TrySplit(origin, out var scheme, out var host, out var port) || port != _port || !string.Equals(scheme, _scheme, StringComparison.Ordinal))
            {
                return false;
            }

            return _wildcard
                ? host.Length > _host.Length && host.EndsWith(_host, StringComparison.Ordinal)
                : string.Equals(host, _host, StringComparison.Ordinal);
        }

        private static bool TrySplit(string text, out string scheme, out string host, out int port)
        {
            scheme = host = "";
            port = 0;
            var separator = text.IndexOf("://", StringComparison.Ordinal);
            if (separator <= 0)
            {
                return false;
            }

            scheme = text[..separator].ToLowerInvariant();
            var authority = text[(separator + 3)..].TrimEnd('/').ToLowerInvariant();
            var colon = authority.LastIndexOf(':');
            if (colon > 0 && !authority.EndsWith(']') && int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var explicitPort))
            {
                host = authority[..colon];
                port = explicitPort;
            }
            else
            {
                host = authority;
                port = scheme switch
                {
                    "http" => 80,
                    "https" => 443,
                    _ => 0,
                };
            }

            return host.Length != 0;
        }
    }
}
