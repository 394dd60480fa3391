using System.Collections.Immutable;
using Weft.Api.GatewayApi;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// Maps HTTPRoute filters to IR filters. Supported: RequestHeaderModifier, ResponseHeaderModifier,
/// RequestRedirect, URLRewrite, RequestMirror, CORS (route level) and the two header modifiers (backend level).
/// Anything else (ExtensionRef, ExternalAuth, unknown types) makes the rule invalid: the
/// spec forbids skipping a filter, so the rule's requests get 500 and the route reports it.
/// </summary>
internal static class FilterTranslator
{
    /// <param name="mirror">
    /// Resolves a RequestMirror's backendRef (it needs the translation context); null where mirrors
    /// are not supported. It returns null when the reference does not resolve: the mirror is dropped.
    /// </param>
    public static ImmutableArray<FilterIr> Compile(List<HttpRouteFilter>? filters, string field, List<string> errors, Func<HttpRequestMirrorFilter, RequestMirrorIr?>? mirror = null)
    {
        if (filters is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<FilterIr>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < filters.Count; i++)
        {
            var f = filters[i];
            var where = $"{field}[{i}]";
            // RequestMirror may repeat (HTTPRouteRequestMultipleMirrors); every other type may not.
            if (!seen.Add(f.Type) && !(f.Type == "RequestMirror" && mirror is not null))
            {
                errors.Add($"{where}: filter {f.Type} appears more than once");
                continue;
            }

            FilterIr? ir = f.Type switch
            {
                "RequestHeaderModifier" => f.RequestHeaderModifier is { } m ? new RequestHeaderModifierIr(HeaderModifier(m)) : Missing(where, "requestHeaderModifier", errors),
                "ResponseHeaderModifier" => f.ResponseHeaderModifier is { } m ? new ResponseHeaderModifierIr(HeaderModifier(m)) : Missing(where, "responseHeaderModifier", errors),
                "RequestRedirect" => f.RequestRedirect is { } r ? Redirect(r, where, errors) : Missing(where, "requestRedirect", errors),
                "URLRewrite" => f.UrlRewrite is { } u ? new UrlRewriteIr { Hostname = u.Hostname, Path = PathModifier(u.Path, where, errors) } : Missing(where, "urlRewrite", errors),
                "CORS" => f.Cors is { } c ? Cors(c) : Missing(where, "cors", errors),
                "RequestMirror" when mirror is not null => f.RequestMirror is { } m ? mirror(m) : Missing(where, "requestMirror", errors),
                _ => Unsupported(where, f.Type, errors),
            };
            if (ir is not null)
            {
                result.Add(ir);
            }
        }

        return result.ToImmutable();
    }

    public static ImmutableArray<FilterIr> CompileBackendFilters(List<HttpRouteFilter>? filters, string field, List<string> errors)
    {
        if (filters is null)
        {
            return [];
        }

        for (var i = 0; i < filters.Count; i++)
        {
            if (filters[i].Type is not ("RequestHeaderModifier" or "ResponseHeaderModifier"))
            {
                errors.Add($"{field}[{i}]: filter {filters[i].Type} is not supported on a backendRef");
            }
        }

        return Compile([.. filters.Where(f => f.Type is "RequestHeaderModifier" or "ResponseHeaderModifier")], field, errors);
    }

    private static CorsIr Cors(HttpCorsFilter c) => new()
    {
        AllowOrigins = [.. c.AllowOrigins ?? []],
        AllowCredentials = c.AllowCredentials ?? false,
        AllowMethods = [.. c.AllowMethods ?? []],
        AllowHeaders = [.. c.AllowHeaders ?? []],
        ExposeHeaders = [.. c.ExposeHeaders ?? []],
        MaxAge = c.MaxAge ?? 5, // the CRD's default
    };

    private static RequestRedirectIr? Redirect(HttpRequestRedirectFilter r, string where, List<string> errors)
    {
        var code = r.StatusCode ?? 302;
        if (code is not (301 or 302 or 303 or 307 or 308))
        {
            errors.Add($"{where}: redirect statusCode {code} is not supported");
            return null;
        }

        if (r.Scheme is not (null or "http" or "https"))
        {
            errors.Add($"{where}: redirect scheme {r.Scheme} is not supported");
            return null;
        }

        return new RequestRedirectIr
        {
            Scheme = r.Scheme,
            Hostname = r.Hostname,
            Path = PathModifier(r.Path, where, errors),
            Port = r.Port,
            StatusCode = code,
        };
    }

    private static PathModifierIr? PathModifier(HttpPathModifier? path, string where, List<string> errors)
    {
        if (path is null)
        {
            return null;
        }

        switch (path.Type)
        {
            case "ReplaceFullPath" when path.ReplaceFullPath is not null:
                return new PathModifierIr { Type = PathModifierType.ReplaceFullPath, Value = path.ReplaceFullPath };
            case "ReplacePrefixMatch" when path.ReplacePrefixMatch is not null:
                return new PathModifierIr { Type = PathModifierType.ReplacePrefixMatch, Value = path.ReplacePrefixMatch };
            default:
                errors.Add($"{where}: path modifier {path.Type} needs its value (replaceFullPath or replacePrefixMatch)");
                return null;
        }
    }

    private static HeaderModifierIr HeaderModifier(HttpHeaderFilter f) => new()
    {
        // The spec: a repeated name (case-insensitive) keeps its first entry.
        Set = [.. (f.Set ?? []).DistinctBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(h => new HeaderValueIr(h.Name, h.Value))],
        Add = [.. (f.Add ?? []).DistinctBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(h => new HeaderValueIr(h.Name, h.Value))],
        Remove = [.. (f.Remove ?? []).Distinct(StringComparer.OrdinalIgnoreCase)],
    };

    private static FilterIr? Missing(string where, string field, List<string> errors)
    {
        errors.Add($"{where}: the filter's {field} field is missing");
        return null;
    }

    private static FilterIr? Unsupported(string where, string type, List<string> errors)
    {
        errors.Add($"{where}: filter {type} is not supported by Weft");
        return null;
    }
}
