using Weft.Api.GatewayApi;
using Weft.Api.Yaml;

namespace Weft.Api.Validation;

/// <summary>GRPCRoute: the CRD's limits and rules; the parts it shares with HTTPRoute (parentRefs, hostnames, filters, backendRefs) are checked by the same code.</summary>
public static partial class ResourceValidator
{
    private static void ValidateGrpcRoute(Collector v, GrpcRouteSpec spec) =>
        ValidateRouteCommon(v, spec.ParentRefs, spec.Hostnames, spec.Rules, r => r.Name, r => r.Matches?.Count ?? 0, (rule, path) =>
        {
            var matches = rule.Matches ?? [];
            for (var m = 0; m < matches.Count; m++)
            {
                ValidateGrpcMatch(v, matches[m], $"{path}.matches[{m}]");
            }

            ValidateGrpcFilters(v, rule.Filters, path + ".filters");

            var backendRefs = rule.BackendRefs ?? [];
            for (var b = 0; b < backendRefs.Count; b++)
            {
                var br = backendRefs[b];
                var bpath = $"{path}.backendRefs[{b}]";
                ValidateWeightedBackendRef(v, bpath, br.Group, br.Kind, br.Name, br.Namespace, br.Port, br.Weight);
                ValidateGrpcFilters(v, br.Filters, bpath + ".filters");
            }
        });

    private static void ValidateGrpcMatch(Collector v, GrpcRouteMatch match, string path)
    {
        if (match.Method is { } m)
        {
            var type = m.Type ?? "Exact";
            if (type is not ("Exact" or "RegularExpression"))
            {
                v.Invalid(path + ".method.type", $"type must be one of ['Exact', 'RegularExpression'], got `{type}`");
            }

            // The CRD's x-kubernetes-validations.
            if (string.IsNullOrEmpty(m.Service) && string.IsNullOrEmpty(m.Method))
            {
                v.Invalid(path + ".method", "One or both of 'service' or 'method' must be specified");
            }

            if (type == "RegularExpression")
            {
                ValidateRegex(v, m.Service, path + ".method.service");
                ValidateRegex(v, m.Method, path + ".method.method");
            }

            if (type == "Exact")
            {
                if (m.Service is { Length: > 0 } service && !GrpcServicePattern().IsMatch(service))
                {
                    v.Invalid(path + ".method.service", $"service `{service}` must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)");
                }

                if (m.Method is { Length: > 0 } method && !GrpcMethodPattern().IsMatch(method))
                {
                    v.Invalid(path + ".method.method", $"method `{method}` must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)");
                }
            }
        }

        var headers = match.Headers ?? [];
        if (headers.Count > 16)
        {
            v.Invalid(path + ".headers", $"at most 16 header matches are allowed, there are {headers.Count}");
        }

        for (var h = 0; h < headers.Count; h++)
        {
            if (headers[h].Type is { } t && t is not ("Exact" or "RegularExpression"))
            {
                v.Invalid($"{path}.headers[{h}].type", $"type must be one of ['Exact', 'RegularExpression'], got `{t}`");
            }
            else if (headers[h].Type == "RegularExpression")
            {
                ValidateRegex(v, headers[h].Value, $"{path}.headers[{h}].value");
            }
        }

        foreach (var dup in headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            v.Invalid(path + ".headers", $"header name `{dup.Key}` must be unique within the match");
        }
    }

    private static void ValidateGrpcFilters(Collector v, List<GrpcRouteFilter>? filters, string path)
    {
        if (filters is null)
        {
            return;
        }

        for (var i = 0; i < filters.Count; i++)
        {
            if (!GrpcRouteFilters.Types.Contains(filters[i].Type))
            {
                var close = Suggest.Closest(filters[i].Type, GrpcRouteFilters.Types);
                v.Invalid($"{path}[{i}].type", $"filter type `{filters[i].Type}` is not valid for a GRPCRoute: use one of {string.Join(", ", GrpcRouteFilters.Types)}" + (close is null ? "" : $"; did you mean `{close}`?"));
            }
        }

        // The remaining rules (type ↔ field, header modifiers, mirrors, repetition) are HTTPRoute's.
        ValidateFilters(v, [.. filters.Where(f => GrpcRouteFilters.Types.Contains(f.Type)).Select(f => f.ToHttpRouteFilter())], path);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$")]
    private static partial System.Text.RegularExpressions.Regex GrpcServicePattern();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z_][A-Za-z_0-9]*$")]
    private static partial System.Text.RegularExpressions.Regex GrpcMethodPattern();
}
