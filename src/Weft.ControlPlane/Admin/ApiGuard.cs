using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Weft.ControlPlane.Security;
using Weft.Identity;

namespace Weft.ControlPlane.Admin;

/// <summary>
/// The checks every API request passes before it reaches an endpoint, in this order (docs/security.md):
/// <list type="number">
/// <item>the <c>Host</c> is a loopback name or an IP literal, so a web page cannot reach the API
/// through a DNS name it re-points at 127.0.0.1 (DNS rebinding);</item>
/// <item>there is no <c>Origin</c>: browsers send it on every cross-origin request and the CLI never
/// does, and the API answers no CORS preflight, so no page can drive it;</item>
/// <item>the caller presents the administrator credential (401 without one, 403 with a proxy's);</item>
/// <item>a request that changes state carries one of the API's content types, never a type a page
/// may send cross-origin without a preflight (<c>text/plain</c>, forms).</item>
/// </list>
/// Only the readiness probe answers without a credential. Every answer is marked not cacheable.
/// </summary>
internal static class ApiGuard
{
    /// <summary>Answers without a credential: it tells nothing but "the API is up".</summary>
    public const string ReadinessPath = "/healthz/ready";

    // Quotes and backticks as they are: the message is read by people at a terminal (curl), not put in a page.
    private static readonly System.Text.Json.JsonSerializerOptions ErrorJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] ChangeContentTypes = ["application/yaml", "application/x-yaml", "application/json"];

    /// <summary>Null when the request may proceed; otherwise the status and the message to answer with.</summary>
    public static (int Status, string Error)? Check(HttpRequest request, CallerAuthenticator authenticator)
    {
        var host = request.Host.Host;
        if (!IsLoopbackOrLiteral(host))
        {
            return (StatusCodes.Status403Forbidden, $"Host \"{request.Host}\" is not allowed: the API answers only to localhost and IP addresses");
        }

        if (request.Headers.ContainsKey("Origin"))
        {
            return (StatusCodes.Status403Forbidden, "cross-origin requests are refused: the API serves the weft CLI, not web pages");
        }

        if (request.Path.Equals(ReadinessPath, StringComparison.Ordinal) && HttpMethods.IsGet(request.Method))
        {
            return null;
        }

        var caller = authenticator.FromAuthorization(request.Headers.Authorization);
        switch (caller.Kind)
        {
            case CallerKind.Anonymous:
                return (StatusCodes.Status401Unauthorized, $"this API needs the credential `weft up` keeps in {LocalCredential.FilePath} (the weft CLI sends it; other clients send it as \"Authorization: Bearer TOKEN\")");
            case CallerKind.Invalid:
                return (StatusCodes.Status401Unauthorized, $"the credential presented is not this control plane's (it is in {LocalCredential.FilePath}, or ${LocalCredential.TokenVariable})");
            case CallerKind.Proxy:
                return (StatusCodes.Status403Forbidden, $"a proxy token ({caller.Scope}) may only receive its config on the distribution port, not use the API");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HasChangeContentType(request))
        {
            return (StatusCodes.Status415UnsupportedMediaType, $"a change must be sent as {string.Join(" or ", ChangeContentTypes)}, not \"{request.ContentType}\"");
        }

        return null;
    }

    /// <summary>Writes the refusal as the API's JSON error.</summary>
    public static Task RefuseAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"weft\"";
        }

        // A refused request body is not read; close so an unread upload cannot hold the connection.
        context.Response.Headers.Connection = "close";
        var body = new JsonObject { ["error"] = error }.ToJsonString(ErrorJson);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    internal static bool IsLoopbackOrLiteral(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // An IP literal cannot be re-pointed by DNS; a bracketed IPv6 literal arrives with its brackets.
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out _) && literal.Length > 0 && (char.IsAsciiDigit(literal[0]) || literal.Contains(':', StringComparison.Ordinal)) && IsDottedOrV6(literal);
    }

    // IPAddress.TryParse accepts "1" or "0x7f.1" as IPv4; only the dotted-quad and IPv6 forms are literals
    // a client would write in a URL, and only they are not names.
    private static bool IsDottedOrV6(string literal) =>
        literal.Contains(':', StringComparison.Ordinal) || (literal.Count(c => c == '.') == 3 && literal.All(c => char.IsAsciiDigit(c) || c == '.'));

    private static bool HasChangeContentType(HttpRequest request)
    {
        var type = request.ContentType;
        if (string.IsNullOrEmpty(type))
        {
            return false;
        }

        var semicolon = type.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? type : type[..semicolon]).Trim();
        foreach (var allowed in ChangeContentTypes)
        {
            if (media.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
