using System.Collections.Immutable;

namespace Weft.Routing;

/// <summary>
/// A request described in plain values, for explain, the simulator and tests. Not for the proxy path:
/// header and query lookups here are linear scans.
/// </summary>
public readonly record struct RouteRequest : IRouteRequest
{
    public RouteRequest(string method, string host, string path)
    {
        Method = method;
        Host = host;
        Path = string.IsNullOrEmpty(path) ? "/" : path;
    }

    public string Method { get; init; }
    public string Host { get; init; }
    public string Path { get; init; }

    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];
    public ImmutableArray<KeyValuePair<string, string>> Query { get; init; } = [];

    /// <summary>
    /// Describes <paramref name="url"/> (absolute, e.g. "http://example.com/api?x=1"): host from the
    /// authority, path without the query, query parameters decoded.
    /// </summary>
    public static RouteRequest FromUrl(string method, Uri url, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var query = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var raw = url.Query.AsSpan().TrimStart('?');
        foreach (var range in raw.Split('&'))
        {
            var pair = raw[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? [] : pair[(eq + 1)..];
            query.Add(new(Uri.UnescapeDataString(name.ToString().Replace('+', ' ')), Uri.UnescapeDataString(value.ToString().Replace('+', ' '))));
        }

        return new RouteRequest(method.ToUpperInvariant(), url.IsDefaultPort ? url.Host : url.Authority, url.AbsolutePath)
        {
            Headers = headers is null ? [] : [.. headers],
            Query = query.ToImmutable(),
        };
    }

    public string? GetHeader(string name)
    {
        string? found = null;
        foreach (var header in Headers.IsDefault ? [] : Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                // Several values of one header are matched as the joined list, as the proxy sees them.
                found = found is null ? header.Value : found + "," + header.Value;
            }
        }

        return found;
    }

    public string? GetQueryParameter(string name)
    {
        foreach (var parameter in Query.IsDefault ? [] : Query)
        {
            if (string.Equals(parameter.Key, name, StringComparison.Ordinal))
            {
                return parameter.Value;
            }
        }

        return null;
    }
}
