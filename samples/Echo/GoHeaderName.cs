namespace Weft.Samples.Echo;

/// <summary>
/// Go's <c>textproto.CanonicalMIMEHeaderKey</c>. echo-basic reports header names the way Go's
/// server stores them (<c>x-header-set</c> arrives as <c>X-Header-Set</c>, also over HTTP/2 where
/// names are lower case on the wire), and runners compare against that spelling.
/// </summary>
internal static class GoHeaderName
{
    public static string Canonicalize(string name)
    {
        var alreadyCanonical = true;
        var upper = true;
        foreach (var c in name)
        {
            // Go returns names with bytes outside the token alphabet unchanged.
            if (!IsTokenChar(c))
            {
                return name;
            }

            if ((upper && char.IsAsciiLetterLower(c)) || (!upper && char.IsAsciiLetterUpper(c)))
            {
                alreadyCanonical = false;
            }

            upper = c == '-';
        }

        if (alreadyCanonical)
        {
            return name;
        }

        return string.Create(name.Length, name, static (span, source) =>
        {
            var upper = true;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                upper = c == '-';
            }
        });
    }

    /// <summary>RFC 9110 <c>tchar</c>: what a header name may consist of.</summary>
    public static bool IsToken(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
