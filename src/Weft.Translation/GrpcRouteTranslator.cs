using System.Text.RegularExpressions;
using Weft.Api.GatewayApi;

namespace Weft.Translation;

/// <summary>
/// A GRPCRoute in HTTPRoute form, so that it is compiled, attached, prioritised and reported by the
/// same code as an HTTPRoute (<see cref="HttpRouteTranslator"/>): on the wire a gRPC call is an
/// HTTP/2 POST to "/package.Service/Method", so a method match is a path match (Exact when service
/// and method are both exact, else an anchored regular expression) plus method POST, and header
/// matches are header matches. The HTTP precedence then gives the GRPCRoute's: an exact method
/// before a partial one, longer service/method first, then more header matches.
/// </summary>
internal static class GrpcRouteTranslator
{
    /// <summary>What a method match leaves unconstrained: one path segment.</summary>
    private const string AnySegment = "[^/]+";

    public static HttpRoute ToHttpRoute(TranslationContext context, GrpcRoute route)
    {
        var id = $"{GrpcRoute.KindName}/{TranslationContext.Id(route.Metadata)}";
        var rules = route.Spec.Rules?.Select((r, i) => ToHttpRule(context, id, r, i)).ToList();
        return new HttpRoute
        {
            ApiVersion = route.ApiVersion,
            Kind = route.Kind,
            // The same metadata object: name, namespace, generation and age are the GRPCRoute's.
            Metadata = route.Metadata,
            Spec = new HttpRouteSpec
            {
                ParentRefs = route.Spec.ParentRefs,
                Hostnames = route.Spec.Hostnames,
                Rules = rules,
            },
        };
    }

    private static HttpRouteRule ToHttpRule(TranslationContext context, string id, GrpcRouteRule rule, int index)
    {
        if (rule.SessionPersistence is not null)
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, $"spec.rules[{index}].sessionPersistence", "session persistence is not applied by Weft yet");
        }

        return new HttpRouteRule
        {
            Name = rule.Name,
            Matches = rule.Matches?.Select(ToHttpMatch).ToList(),
            Filters = rule.Filters.ToHttpRouteFilters(),
            BackendRefs = rule.BackendRefs?.Select(b => new HttpBackendRef
            {
                Group = b.Group,
                Kind = b.Kind,
                Name = b.Name,
                Namespace = b.Namespace,
                Port = b.Port,
                Weight = b.Weight,
                Filters = b.Filters.ToHttpRouteFilters(),
            }).ToList(),
        };
    }

    private static HttpRouteMatch ToHttpMatch(GrpcRouteMatch match) => new()
    {
        Path = match.Method is { } method ? MethodPath(method) : null,
        Method = match.Method is null ? null : "POST",
        Headers = match.Headers?.Select(h => new HttpHeaderMatch { Type = h.Type, Name = h.Name, Value = h.Value }).ToList(),
    };

    /// <summary>The path a method match selects; an absent service or method matches any one segment.</summary>
    internal static HttpPathMatch MethodPath(GrpcMethodMatch method)
    {
        var service = string.IsNullOrEmpty(method.Service) ? null : method.Service;
        var name = string.IsNullOrEmpty(method.Method) ? null : method.Method;
        if ((method.Type ?? "Exact") == "RegularExpression")
        {
            return new HttpPathMatch { Type = "RegularExpression", Value = $"/{Group(service)}/{Group(name)}" };
        }

        if (service is not null && name is not null)
        {
            return new HttpPathMatch { Type = "Exact", Value = $"/{service}/{name}" };
        }

        return new HttpPathMatch
        {
            Type = "RegularExpression",
            Value = $"/{(service is null ? AnySegment : Regex.Escape(service))}/{(name is null ? AnySegment : Regex.Escape(name))}",
        };

        // A user's regular expression is one segment's worth; grouped so that its alternations stay inside it.
        static string Group(string? pattern) => pattern is null ? AnySegment : $"(?:{pattern})";
    }
}
