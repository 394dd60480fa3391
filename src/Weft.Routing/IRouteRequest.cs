namespace Weft.Routing;

/// <summary>
/// What route matching needs to know about a request. The proxy implements it as a struct over
/// <c>HttpRequest</c>, explain over a plain description (<see cref="RouteRequest"/>); lookups are
/// generic over the implementation so the proxy path neither boxes nor allocates.
/// </summary>
public interface IRouteRequest
{
    /// <summary>Upper-case HTTP method, as sent.</summary>
    string Method { get; }

    /// <summary>The Host header (or :authority) as sent: may carry a port, a trailing dot, any case.</summary>
    string Host { get; }

    /// <summary>The path without the query string; "/" when the request has none.</summary>
    string Path { get; }

    /// <summary>The header's value (several values joined with ","), or null when absent. Names are case-insensitive.</summary>
    string? GetHeader(string name);

    /// <summary>The first value of the query parameter (name compared case-sensitively), or null when absent.</summary>
    string? GetQueryParameter(string name);
}
