namespace Weft.Routing;

/// <summary>Host header normalisation: no port, no trailing dot. Case is handled by comparing ignoring case.</summary>
public static class HostName
{
    /// <summary>The host part of a Host header: "[::1]:80" → "[::1]", "Example.com.:8080" → "Example.com".</summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> host)
    {
        if (host.Length > 0 && host[0] == '[')
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }

        return host;
    }

    /// <summary>The normalised host as a lower-case string, for messages.</summary>
    public static string Display(string? host) => Normalize(host).ToString().ToLowerInvariant();
}
