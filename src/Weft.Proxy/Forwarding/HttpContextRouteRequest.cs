using Microsoft.AspNetCore.Http;
using Weft.Routing;

namespace Weft.Proxy.Forwarding;

/// <summary>The route table's view of a live request; a struct so lookups are specialised and allocation-free.</summary>
/// <param name="path">The path routes match: the raw path after normalization (see <see cref="RequestTarget"/>).</param>
internal readonly struct HttpContextRouteRequest(HttpRequest request, string path) : IRouteRequest
{
    public string Method => request.Method;

    // Kestrel maps HTTP/2's :authority to Host, so this covers both protocols.
    public string Host => request.Host.Value ?? "";

    public string Path => path;

    public string? GetHeader(string name)
    {
        var values = request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => values.ToString(),
        };
    }

    public string? GetQueryParameter(string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[0];
    }
}
