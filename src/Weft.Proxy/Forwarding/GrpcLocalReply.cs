using Microsoft.AspNetCore.Http;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// Errors the proxy itself answers, said the gRPC way to a gRPC caller: HTTP 200 with
/// <c>grpc-status</c> in a trailers-only response (as Envoy's local replies do). A gRPC client
/// reads an HTTP error status only through gRPC's lossy HTTP→code mapping, which turns the 500 of a
/// rule without usable backends into UNKNOWN, where the GRPCRoute spec asks for UNAVAILABLE.
/// </summary>
internal static class GrpcLocalReply
{
    private const string Unimplemented = "12";
    private const string Unavailable = "14";

    /// <summary>A gRPC call: content-type application/grpc, or a subtype such as application/grpc+proto.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type
        && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && (type.Length == "application/grpc".Length || type["application/grpc".Length] is '+' or ';');

    /// <summary>Answers <paramref name="statusCode"/> as a gRPC status: no route is UNIMPLEMENTED, anything else UNAVAILABLE.</summary>
    public static void Write(HttpContext context, int statusCode)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        // With no body, Kestrel sends these in the one HEADERS frame that ends the stream: a trailers-only response.
        response.Headers["grpc-status"] = statusCode == StatusCodes.Status404NotFound ? Unimplemented : Unavailable;
        response.Headers["grpc-message"] = statusCode switch
        {
            StatusCodes.Status404NotFound => "no route matches the call",
            StatusCodes.Status503ServiceUnavailable => "no healthy upstream",
            _ => "the route has no usable backend",
        };
    }
}
