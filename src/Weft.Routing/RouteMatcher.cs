using Weft.Ir;

namespace Weft.Routing;

/// <summary>
/// One compiled <see cref="MatchIr"/>: every part must hold. <see cref="Matches"/> is the proxy's path;
/// <see cref="Explain"/> evaluates the same matchers and says which parts failed.
/// </summary>
public sealed class RouteMatcher
{
    private readonly StringMatcher[] _headers;
    private readonly StringMatcher[] _query;

    private RouteMatcher(PathMatcher path, StringMatcher[] headers, StringMatcher[] query, string? method)
    {
        Path = path;
        _headers = headers;
        _query = query;
        Method = method;
    }

    public PathMatcher Path { get; }
    public IReadOnlyList<StringMatcher> Headers => _headers;
    public IReadOnlyList<StringMatcher> QueryParams => _query;

    /// <summary>Upper-case method, or null for any.</summary>
    public string? Method { get; }

    internal static RouteMatcher? Compile(MatchIr ir, RegexFactory regexes, string where, List<string> errors)
    {
        var ok = true;
        var path = PathMatcher.Compile(ir.Path, regexes, out var error);
        if (path is null)
        {
            errors.Add($"{where} path: invalid regular expression: {error}");
            ok = false;
        }

        var headers = new StringMatcher[ir.Headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            var m = StringMatcher.Compile(ir.Headers[i], lowerName: true, regexes, out error);
            if (m is null)
            {
                errors.Add($"{where} header {ir.Headers[i].Name}: invalid regular expression: {error}");
                ok = false;
            }

            headers[i] = m!;
        }

        var query = new StringMatcher[ir.QueryParams.Length];
        for (var i = 0; i < query.Length; i++)
        {
            var m = StringMatcher.Compile(ir.QueryParams[i], lowerName: false, regexes, out error);
            if (m is null)
            {
                errors.Add($"{where} query parameter {ir.QueryParams[i].Name}: invalid regular expression: {error}");
                ok = false;
            }

            query[i] = m!;
        }

        return ok ? new RouteMatcher(path!, headers, query, ir.Method?.ToUpperInvariant()) : null;
    }

    public bool Matches<TRequest>(TRequest request)
        where TRequest : IRouteRequest
    {
        // Cheapest checks first; the query string is parsed only if a route asks for it.
        if (Method is not null && !string.Equals(Method, request.Method, StringComparison.Ordinal))
        {
            return false;
        }

        if (!Path.Matches(request.Path))
        {
            return false;
        }

        foreach (var header in _headers)
        {
            if (!header.Matches(request.GetHeader(header.Name)))
            {
                return false;
            }
        }

        foreach (var parameter in _query)
        {
            if (!parameter.Matches(request.GetQueryParameter(parameter.Name)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds one line per part of the match that does not hold; adds nothing when the route matches.</summary>
    public void Explain<TRequest>(TRequest request, ICollection<string> mismatches)
        where TRequest : IRouteRequest
    {
        ArgumentNullException.ThrowIfNull(mismatches);
        if (!Path.Matches(request.Path))
        {
            mismatches.Add($"path {request.Path} does not match {Path.Type} {Path.Value}");
        }

        if (Method is not null && !string.Equals(Method, request.Method, StringComparison.Ordinal))
        {
            mismatches.Add($"method {request.Method} is not {Method}");
        }

        foreach (var header in _headers)
        {
            var value = request.GetHeader(header.Name);
            if (!header.Matches(value))
            {
                mismatches.Add(value is null
                    ? $"header {header.Name}: expected {header.Expectation}, missing"
                    : $"header {header.Name}: expected {header.Expectation}, got '{value}'");
            }
        }

        foreach (var parameter in _query)
        {
            var value = request.GetQueryParameter(parameter.Name);
            if (!parameter.Matches(value))
            {
                mismatches.Add(value is null
                    ? $"query parameter {parameter.Name}: expected {parameter.Expectation}, missing"
                    : $"query parameter {parameter.Name}: expected {parameter.Expectation}, got '{value}'");
            }
        }
    }
}
