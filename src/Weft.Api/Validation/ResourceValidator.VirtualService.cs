using Weft.Api.Istio;
using Weft.Api.Yaml;

namespace Weft.Api.Validation;

/// <summary>VirtualService: its `regex` string matches are RE2 (as Istio's, matched by Envoy), checked like the Gateway API's.</summary>
public static partial class ResourceValidator
{
    private static void ValidateVirtualService(Collector v, VirtualServiceSpec spec)
    {
        var http = spec.Http ?? [];
        for (var r = 0; r < http.Count; r++)
        {
            var matches = http[r].Match ?? [];
            for (var m = 0; m < matches.Count; m++)
            {
                var match = matches[m];
                var path = $"spec.http[{r}].match[{m}]";
                ValidateIstioStringMatch(v, match.Uri, path + ".uri");
                ValidateIstioStringMatch(v, match.Scheme, path + ".scheme");
                ValidateIstioStringMatch(v, match.Method, path + ".method");
                ValidateIstioStringMatch(v, match.Authority, path + ".authority");
                ValidateIstioStringMatches(v, match.Headers, path + ".headers");
                ValidateIstioStringMatches(v, match.QueryParams, path + ".queryParams");
                ValidateIstioStringMatches(v, match.WithoutHeaders, path + ".withoutHeaders");
            }
        }
    }

    private static void ValidateIstioStringMatches(Collector v, Dictionary<string, IstioStringMatch>? matches, string path)
    {
        foreach (var (name, match) in matches ?? [])
        {
            ValidateIstioStringMatch(v, match, FieldPath.Child(path, name));
        }
    }

    private static void ValidateIstioStringMatch(Collector v, IstioStringMatch? match, string path)
    {
        if (match?.Regex is { } regex)
        {
            ValidateRegex(v, regex, path + ".regex");
        }
    }
}
