using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// The request target as the client sent it (<see cref="IHttpRequestFeature.RawTarget"/>): Kestrel's
/// <c>HttpRequest.Path</c> is percent-decoded and dot-segment-normalized by Kestrel's own rules, and
/// forwarding it re-encoded is what turned <c>%2F</c> into <c>%252F</c> and <c>%2B</c> into <c>+</c>.
/// The proxy routes on, and forwards, the raw path after <see cref="Weft.Routing.PathNormalizer"/>;
/// when normalization changes it, the request's RawTarget is replaced, so every later reader
/// (forwarder, mirror, redirect) sees the one path that was matched.
/// </summary>
internal static class RequestTarget
{
    // What PathString.ToUriComponent leaves as it is (RFC 3986 pchar without '%', plus '/'): a raw path
    // made only of these, equal to Kestrel's decoded Path, comes out of YARP's default URI unchanged.
    private static readonly SearchValues<char> PlainPathChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    private static readonly UriCreationOptions AsSent = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>
    /// Where the path lies in <paramref name="raw"/>: origin form ("/p?q") or absolute form
    /// ("http://h/p?q", as a client sends to an HTTP proxy); false for asterisk and authority forms.
    /// </summary>
    public static bool TrySplit(string raw, out int pathStart, out int queryStart)
    {
        pathStart = 0;
        queryStart = 0;
        if (raw.Length == 0)
        {
            return false;
        }

        if (raw[0] != '/')
        {
            var scheme = raw.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0)
            {
                return false;
            }

            var slash = raw.AsSpan(scheme + 3).IndexOfAny('/', '?');
            pathStart = slash < 0 ? raw.Length : scheme + 3 + slash;
        }

        var query = raw.AsSpan(pathStart).IndexOf('?');
        queryStart = query < 0 ? raw.Length : pathStart + query;
        return true;
    }

    /// <summary>
    /// The path as a string: Kestrel's own Path instance when it is the same text (no allocation: the
    /// usual case, a path with no escapes and no dot segments), "/" for an empty absolute-form path.
    /// </summary>
    public static string PathString(HttpRequest request, ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return "/";
        }

        var decoded = request.Path.Value;
        return decoded is not null && path.SequenceEqual(decoded) ? decoded : path.ToString();
    }

    /// <summary>
    /// The raw path and query of the request now (after normalization); false when the target is not
    /// origin or absolute form (the caller falls back to Kestrel's view).
    /// </summary>
    public static bool TryGet(HttpContext context, out ReadOnlySpan<char> path, out ReadOnlySpan<char> query)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !TrySplit(raw, out var pathStart, out var queryStart))
        {
            path = default;
            query = default;
            return false;
        }

        path = raw.AsSpan(pathStart, queryStart - pathStart);
        query = raw.AsSpan(queryStart);
        return true;
    }

    /// <summary>
    /// Whether YARP's default destination URI (built from Kestrel's decoded Path, re-encoded) already
    /// carries exactly <paramref name="path"/>: the same text, and nothing in it that re-encoding changes.
    /// </summary>
    public static bool DefaultUriIsExact(HttpRequest request, ReadOnlySpan<char> path) =>
        !path.IsEmpty && request.Path.Value is { } decoded && path.SequenceEqual(decoded) && !path.ContainsAnyExcept(PlainPathChars);

    /// <summary>prefix ("http://host:port/") + path + query, sent byte for byte (no canonicalization by System.Uri).</summary>
    public static Uri Destination(string prefix, ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        var head = prefix.AsSpan();
        if (head.EndsWith('/'))
        {
            head = head[..^1];
        }

        return new Uri(string.Concat(head, path.IsEmpty ? "/" : path, query), AsSent);
    }
}
