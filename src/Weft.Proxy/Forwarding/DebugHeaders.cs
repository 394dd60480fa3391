using Microsoft.AspNetCore.Http;
using Weft.Routing;

namespace Weft.Proxy.Forwarding;

/// <summary>The opt-in debug headers: a request with "x-weft-debug: 1" learns the route and the response flag.</summary>
internal static class DebugHeaders
{
    public const string Request = "x-weft-debug";
    public const string Flags = "x-weft-flags";
    public const string Route = "x-weft-route";

    public static bool IsRequested(HttpRequest request) =>
        request.Headers.TryGetValue(Request, out var value) && value.Count == 1 && value[0] == "1";

    public static void Add(HttpContext context, string? flags, RouteModel? route)
    {
        if (!IsRequested(context.Request))
        {
            return;
        }

        var headers = context.Response.Headers;
        if (flags is not null)
        {
            headers[Flags] = flags;
        }

        if (route is not null)
        {
            headers[Route] = route.DisplayName;
        }
    }
}
