using System.Buffers;

namespace Weft.Routing;

/// <summary>
/// Applies <see cref="PathNormalization"/> to a raw request path (the bytes the client sent, percent
/// encodings and all), in Envoy's order: escaped slashes, then <c>normalize_path</c>, then
/// <c>merge_slashes</c>. Routes match the result and the proxy forwards the result, so what was
/// matched and what the backend sees can never disagree. A path that needs no change (nearly every
/// path) costs one vectorized scan and no allocation; one that might works in a pooled buffer, and a
/// string is made only when the path really changes.
/// </summary>
public static class PathNormalizer
{
    /// <param name="raw">An origin-form path without the query: starts with '/'.</param>
    /// <param name="changed">The new path, or null when <paramref name="raw"/> stands as it is.</param>
    public static PathVerdict Normalize(ReadOnlySpan<char> raw, PathNormalization options, out string? changed)
    {
        ArgumentNullException.ThrowIfNull(options);
        changed = null;
        if (raw.IsEmpty || raw[0] != '/' || !MayChange(raw, options))
        {
            return PathVerdict.Continue;
        }

        // Every step only shortens the path (or keeps its length), so one buffer of the raw length holds it.
        var rented = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var buffer = rented.AsSpan(0, raw.Length);
            var length = Unescape(raw, buffer, options, out var escapedSlash);
            if (escapedSlash && options.EscapedSlashes == EscapedSlashesAction.RejectRequest)
            {
                return PathVerdict.Reject;
            }

            if (options.NormalizePath)
            {
                length = RemoveDotSegments(buffer[..length]);
            }

            if (options.MergeSlashes)
            {
                length = MergeSlashes(buffer[..length]);
            }

            var result = buffer[..length];
            if (!result.SequenceEqual(raw))
            {
                changed = result.ToString();
            }

            return escapedSlash && options.EscapedSlashes == EscapedSlashesAction.UnescapeAndRedirect && changed is not null
                ? PathVerdict.Redirect
                : PathVerdict.Continue;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool MayChange(ReadOnlySpan<char> raw, PathNormalization options) =>
        raw.Contains('%')
        || (options.NormalizePath && (raw.Contains('\\') || raw.IndexOf("/.", StringComparison.Ordinal) >= 0))
        || (options.MergeSlashes && raw.IndexOf("//", StringComparison.Ordinal) >= 0);

    /// <summary>
    /// The escape pass. An escaped slash is found whatever the setting (so Reject can answer); it is
    /// unescaped only when the setting says so. With normalization, unreserved characters are decoded,
    /// other escapes get upper-case hex (RFC 3986 §6.2.2.1, so <c>%2f</c> and <c>%2F</c> route alike),
    /// and a backslash is a slash (as browsers and Envoy read it). An invalid escape stays as sent.
    /// </summary>
    private static int Unescape(ReadOnlySpan<char> raw, Span<char> output, PathNormalization options, out bool escapedSlash)
    {
        escapedSlash = false;
        var unescapeSlashes = options.EscapedSlashes is EscapedSlashesAction.UnescapeAndForward or EscapedSlashesAction.UnescapeAndRedirect;
        var normalize = options.NormalizePath;
        var w = 0;
        for (var r = 0; r < raw.Length; r++)
        {
            var c = raw[r];
            if (c == '%' && r + 2 < raw.Length && IsHex(raw[r + 1]) && IsHex(raw[r + 2]))
            {
                var value = (char)((HexValue(raw[r + 1]) << 4) | HexValue(raw[r + 2]));
                if (value is '/' or '\\')
                {
                    escapedSlash = true;
                    if (unescapeSlashes)
                    {
                        output[w++] = normalize ? '/' : value;
                        r += 2;
                        continue;
                    }
                }
                else if (normalize && IsUnreserved(value))
                {
                    output[w++] = value;
                    r += 2;
                    continue;
                }

                output[w++] = '%';
                output[w++] = normalize ? char.ToUpperInvariant(raw[r + 1]) : raw[r + 1];
                output[w++] = normalize ? char.ToUpperInvariant(raw[r + 2]) : raw[r + 2];
                r += 2;
                continue;
            }

            output[w++] = normalize && c == '\\' ? '/' : c;
        }

        return w;
    }

    /// <summary>RFC 3986 §5.2.4 on a path that starts with '/', in place; "." and ".." only (a segment "..;" is a name).</summary>
    private static int RemoveDotSegments(Span<char> path)
    {
        var w = 0;
        var r = 0;
        while (r < path.Length)
        {
            // path[r] is '/': the segment runs to the next '/' or the end.
            var start = r + 1;
            var next = path[start..].IndexOf('/');
            var end = next < 0 ? path.Length : start + next;
            var segment = path[start..end];
            var last = end == path.Length;
            if (segment is ".")
            {
                if (last)
                {
                    path[w++] = '/';
                }
            }
            else if (segment is "..")
            {
                var slash = path[..w].LastIndexOf('/');
                w = slash < 0 ? 0 : slash;
                if (last)
                {
                    path[w++] = '/';
                }
            }
            else
            {
                // w ≤ start, so the copy moves text left over text already read (CopyTo handles the overlap).
                path[w++] = '/';
                segment.CopyTo(path[w..]);
                w += segment.Length;
            }

            r = end;
        }

        if (w == 0)
        {
            path[w++] = '/';
        }

        return w;
    }

    private static int MergeSlashes(Span<char> path)
    {
        var w = 0;
        for (var r = 0; r < path.Length; r++)
        {
            if (path[r] == '/' && w > 0 && path[w - 1] == '/')
            {
                continue;
            }

            path[w++] = path[r];
        }

        return w;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
