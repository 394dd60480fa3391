using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Weft.Api.Istio;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>The routes Istio resources give one Service: the VirtualService's HTTP routes, in its order.</summary>
internal sealed record IstioServiceRoutes(string VirtualService, ImmutableArray<RouteIr> Routes, IReadOnlyList<BackendTarget> Targets);

/// <summary>
/// Pass 3c. Istio's VirtualServices bound to the mesh (no `gateways`, or `mesh` among them), with
/// DestinationRule subsets, turned into the same RouteIr the mesh uses for HTTPRoutes. Unlike the
/// Gateway API, a VirtualService's routes are tried in the order written, so they are not sorted.
/// Istio's prefix matches are plain string prefixes ("/api" also matches "/apix"), expressed as
/// anchored regular expressions. What Weft does not apply yet (retries, faults, mirrors, CORS, TCP/TLS
/// routes, traffic policies) is reported as WEFT0101; a destination that resolves to nothing is
/// WEFT0103 and its share of calls answers 500.
/// </summary>
internal static class VirtualServiceTranslator
{
    public static Dictionary<string, IstioServiceRoutes> Translate(TranslationContext context)
    {
        var subsets = Subsets(context);
        var result = new Dictionary<string, IstioServiceRoutes>(StringComparer.Ordinal);
        foreach (var vs in context.Snapshot.VirtualServices)
        {
            var ns = vs.Metadata.NamespaceProperty ?? "default";
            var id = $"VirtualService/{ns}/{vs.Metadata.Name}";
            if (vs.Spec.Gateways is { Count: > 0 } gateways && !gateways.Contains("mesh"))
            {
                context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, "spec.gateways",
                    "VirtualServices bound to Istio Gateways are not applied; route the gateway with an HTTPRoute");
                continue;
            }

            ReportIgnored(context, vs, id);
            var targets = new List<BackendTarget>();
            var routes = ImmutableArray.CreateBuilder<RouteIr>();
            var http = vs.Spec.Http ?? [];
            for (var i = 0; i < http.Count; i++)
            {
                routes.AddRange(Rule(context, subsets, vs, ns, i, http[i], targets));
            }

            foreach (var host in vs.Spec.Hosts)
            {
                if (ResolveService(context, host, ns) is not { } service)
                {
                    context.Diagnostics.Add(DiagnosticCodes.IstioReferenceNotFound, id, "spec.hosts", $"host {host} is not a Service Weft knows; the VirtualService routes nothing for it");
                    continue;
                }

                if (!result.TryAdd(service, new IstioServiceRoutes(id, routes.ToImmutable(), targets)))
                {
                    context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, "spec.hosts", $"Service {service} is already routed by {result[service].VirtualService}; this VirtualService is not applied to it");
                }
            }
        }

        return result;
    }

    private static IEnumerable<RouteIr> Rule(TranslationContext context, Dictionary<string, Dictionary<string, Dictionary<string, string>>> subsets,
        VirtualService vs, string ns, int index, IstioHttpRoute rule, List<BackendTarget> targets)
    {
        var id = $"VirtualService/{ns}/{vs.Metadata.Name}";
        var field = $"spec.http[{index}]";
        var filters = ImmutableArray.CreateBuilder<FilterIr>();
        if (rule.Headers?.Request is { } request)
        {
            filters.Add(new RequestHeaderModifierIr(Modifier(request)));
        }

        if (rule.Headers?.Response is { } response)
        {
            filters.Add(new ResponseHeaderModifierIr(Modifier(response)));
        }

        var matches = rule.Match is { Count: > 0 } m ? m : [new IstioHttpMatch()];
        var backends = ImmutableArray.CreateBuilder<BackendIr>();
        if (rule.Redirect is { } redirect)
        {
            filters.Add(new RequestRedirectIr
            {
                Scheme = redirect.Scheme,
                Hostname = redirect.Authority,
                Port = redirect.Port,
                Path = redirect.Uri is null ? null : new PathModifierIr { Type = PathModifierType.ReplaceFullPath, Value = redirect.Uri },
                StatusCode = redirect.RedirectCode ?? 301,
            });
        }
        else
        {
            var destinations = rule.Route ?? [];
            for (var d = 0; d < destinations.Count; d++)
            {
                backends.Add(Backend(context, subsets, ns, id, $"{field}.route[{d}]", destinations[d], destinations.Count, targets));
            }
        }

        TimeoutsIr? timeouts = null;
        if (rule.Timeout is { } timeout)
        {
            if (TryParseDuration(timeout, out var t))
            {
                timeouts = t == TimeSpan.Zero ? null : new TimeoutsIr { Request = t };
            }
            else
            {
                context.Diagnostics.Add(DiagnosticCodes.InvalidValue, id, $"{field}.timeout", $"\"{timeout}\" is not a duration such as 10s or 0.5s; no timeout is applied");
            }
        }

        for (var j = 0; j < matches.Count; j++)
        {
            var match = Match(context, id, $"{field}.match[{j}]", matches[j]);
            if (match is null)
            {
                continue;
            }

            var rewrite = rule.Rewrite is { } rw && (rw.Uri is not null || rw.Authority is not null)
                ? new UrlRewriteIr
                {
                    Hostname = rw.Authority,
                    Path = rw.Uri is null ? null : new PathModifierIr
                    {
                        // A prefix match rewrites just the prefix, as Istio does; anything else the whole path.
                        Type = matches[j].Uri?.Prefix is not null ? PathModifierType.ReplacePrefixMatch : PathModifierType.ReplaceFullPath,
                        Value = rw.Uri,
                    },
                }
                : null;
            yield return new RouteIr
            {
                RouteNamespace = ns,
                RouteName = vs.Metadata.Name,
                RuleIndex = index,
                MatchIndex = j,
                RuleName = rule.Name,
                Match = rewrite?.Path?.Type == PathModifierType.ReplacePrefixMatch
                    // ReplacePrefixMatch needs the prefix as a PathPrefix match; Istio's prefix is a string prefix,
                    // which a path-segment prefix equals whenever the prefix ends at a segment boundary.
                    ? match with { Path = new PathMatchIr { Type = PathMatchType.PathPrefix, Value = matches[j].Uri!.Prefix! } }
                    : match,
                Filters = rewrite is null ? filters.ToImmutable() : [.. filters, rewrite],
                Backends = backends.ToImmutable(),
                Timeouts = timeouts,
            };
        }
    }

    private static MatchIr? Match(TranslationContext context, string id, string field, IstioHttpMatch m)
    {
        if (m.Authority is not null || m.Scheme is not null || m.WithoutHeaders is not null || m.SourceLabels is not null
            || m.SourceNamespace is not null || m.Port is not null || m.Gateways is not null || m.IgnoreUriCase == true)
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, field,
                "only uri, method, headers and queryParams are matched; this match's other conditions are not applied");
        }

        var path = m.Uri switch
        {
            null => new PathMatchIr { Type = PathMatchType.PathPrefix, Value = "/" },
            { Exact: { } e } => new PathMatchIr { Type = PathMatchType.Exact, Value = e },
            { Prefix: { } p } => new PathMatchIr { Type = PathMatchType.RegularExpression, Value = Regex.Escape(p) + ".*" },
            { Regex: { } r } => new PathMatchIr { Type = PathMatchType.RegularExpression, Value = r },
            _ => new PathMatchIr { Type = PathMatchType.PathPrefix, Value = "/" },
        };
        // Validation rejects these (WEFT0015) before they get here; a resource that reached the store another
        // way still never puts a pattern the proxy would refuse into the IR: the match is dropped, and said so.
        foreach (var (where, regex) in (IEnumerable<(string, string?)>)[("uri", m.Uri?.Regex),
                     .. (m.Headers ?? []).Select(h => ($"headers.{h.Key}", h.Value.Regex)),
                     .. (m.QueryParams ?? []).Select(q => ($"queryParams.{q.Key}", q.Value.Regex))])
        {
            if (regex is not null && !Re2Syntax.TryTranslate(regex, out _, out var problem))
            {
                context.Diagnostics.Add(DiagnosticCodes.NotRe2, id, $"{field}.{where}.regex", $"`{regex}` is not used: {problem}");
                return null;
            }
        }

        return new MatchIr
        {
            Path = path,
            Method = m.Method?.Exact?.ToUpperInvariant(),
            Headers = [.. (m.Headers ?? []).OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => StringMatch(h.Key.ToLowerInvariant(), h.Value))],
            QueryParams = [.. (m.QueryParams ?? []).OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => StringMatch(q.Key, q.Value))],
        };
    }

    private static StringMatchIr StringMatch(string name, IstioStringMatch m) => m switch
    {
        { Exact: { } e } => new StringMatchIr { Name = name, Type = StringMatchType.Exact, Value = e },
        { Prefix: { } p } => new StringMatchIr { Name = name, Type = StringMatchType.RegularExpression, Value = Regex.Escape(p) + ".*" },
        { Regex: { } r } => new StringMatchIr { Name = name, Type = StringMatchType.RegularExpression, Value = r },
        // An empty match means "present with any value".
        _ => new StringMatchIr { Name = name, Type = StringMatchType.RegularExpression, Value = ".*" },
    };

    private static BackendIr Backend(TranslationContext context, Dictionary<string, Dictionary<string, Dictionary<string, string>>> subsets,
        string ns, string id, string field, IstioHttpRouteDestination destination, int count, List<BackendTarget> targets)
    {
        // Istio: a single destination takes all traffic; with several, unset weights count as 0.
        var weight = destination.Weight ?? (count == 1 ? 100 : 0);
        var filters = destination.Headers?.Request is { } request ? ImmutableArray.Create<FilterIr>(new RequestHeaderModifierIr(Modifier(request))) : [];
        if (ResolveService(context, destination.Destination.Host, ns) is not { } serviceId)
        {
            context.Diagnostics.Add(DiagnosticCodes.IstioReferenceNotFound, id, $"{field}.destination.host", $"host {destination.Destination.Host} is not a Service Weft knows");
            return new BackendIr { Weight = weight, InvalidReason = $"host {destination.Destination.Host} not found", Filters = filters };
        }

        var service = context.Services[serviceId];
        var port = destination.Destination.Port?.Number is { } n
            ? service.Spec.Ports?.FirstOrDefault(p => p.Port == n)
            : service.Spec.Ports?.FirstOrDefault();
        if (port is null)
        {
            context.Diagnostics.Add(DiagnosticCodes.IstioReferenceNotFound, id, $"{field}.destination.port", $"Service {serviceId} has no such port");
            return new BackendIr { Weight = weight, InvalidReason = $"Service {serviceId} has no such port", Filters = filters };
        }

        var svcNs = service.Metadata.NamespaceProperty ?? "default";
        Dictionary<string, string>? labels = null;
        var cluster = $"{svcNs}/{service.Metadata.Name}:{port.Port}";
        if (destination.Destination.Subset is { } subset)
        {
            if (!subsets.TryGetValue(serviceId, out var bySubset) || !bySubset.TryGetValue(subset, out labels))
            {
                context.Diagnostics.Add(DiagnosticCodes.IstioReferenceNotFound, id, $"{field}.destination.subset", $"no DestinationRule defines subset {subset} for {serviceId}");
                return new BackendIr { Weight = weight, InvalidReason = $"subset {subset} of {serviceId} not defined", Filters = filters };
            }

            cluster += "/" + subset;
        }

        targets.Add(new BackendTarget(cluster, false, svcNs, service.Metadata.Name, port.Port, labels));
        return new BackendIr { Cluster = cluster, Weight = weight, Filters = filters };
    }

    /// <summary>Service id → subset name → labels, from DestinationRules.</summary>
    private static Dictionary<string, Dictionary<string, Dictionary<string, string>>> Subsets(TranslationContext context)
    {
        var result = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var dr in context.Snapshot.DestinationRules)
        {
            var ns = dr.Metadata.NamespaceProperty ?? "default";
            var id = $"DestinationRule/{ns}/{dr.Metadata.Name}";
            if (dr.Spec.TrafficPolicy is not null || dr.Spec.Subsets?.Any(s => s.TrafficPolicy is not null) == true)
            {
                context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, "spec.trafficPolicy", "traffic policies (load balancing, connection pools, outlier detection, TLS) are not applied yet");
            }

            if (ResolveService(context, dr.Spec.Host, ns) is not { } service)
            {
                context.Diagnostics.Add(DiagnosticCodes.IstioReferenceNotFound, id, "spec.host", $"host {dr.Spec.Host} is not a Service Weft knows");
                continue;
            }

            var bySubset = result.TryGetValue(service, out var existing) ? existing : result[service] = new(StringComparer.Ordinal);
            foreach (var s in dr.Spec.Subsets ?? [])
            {
                bySubset[s.Name] = s.Labels ?? [];
            }
        }

        return result;
    }

    /// <summary>"reviews" (in <paramref name="ns"/>), "reviews.ns", "reviews.ns.svc", "reviews.ns.svc.cluster.local" → "ns/reviews".</summary>
    private static string? ResolveService(TranslationContext context, string host, string ns)
    {
        var parts = host.Split('.');
        var candidate = parts.Length switch
        {
            1 => TranslationContext.Id(ns, parts[0]),
            2 => TranslationContext.Id(parts[1], parts[0]),
            _ when host.EndsWith(".svc", StringComparison.Ordinal) || host.EndsWith("." + MeshTranslator.ClusterDomain, StringComparison.Ordinal) => TranslationContext.Id(parts[1], parts[0]),
            _ => null,
        };
        return candidate is not null && context.Services.ContainsKey(candidate) ? candidate : null;
    }

    private static HeaderModifierIr Modifier(IstioHeaderOperations ops) => new()
    {
        Set = [.. (ops.Set ?? []).OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HeaderValueIr(h.Key, h.Value))],
        Add = [.. (ops.Add ?? []).OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HeaderValueIr(h.Key, h.Value))],
        Remove = [.. ops.Remove ?? []],
    };

    private static void ReportIgnored(TranslationContext context, VirtualService vs, string id)
    {
        if (vs.Spec.Tcp is not null || vs.Spec.Tls is not null)
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, "spec.tcp", "TCP and TLS routes are not applied yet");
        }

        var http = vs.Spec.Http ?? [];
        for (var i = 0; i < http.Count; i++)
        {
            var r = http[i];
            foreach (var (name, value) in new (string, object?)[]
                     {
                         ("retries", r.Retries), ("fault", r.Fault), ("mirror", r.Mirror ?? r.Mirrors ?? r.MirrorPercentage),
                         ("corsPolicy", r.CorsPolicy), ("directResponse", r.DirectResponse), ("delegate", r.Delegate),
                     })
            {
                if (value is not null)
                {
                    context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, $"spec.http[{i}].{name}", $"{name} is not applied yet");
                }
            }
        }
    }

    /// <summary>Istio durations: "10s", "0.5s", "100ms", "1m", "1h".</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (GatewayDuration.TryParse(text, out value))
        {
            return true;
        }

        var unit = text.EndsWith("ms", StringComparison.Ordinal) ? "ms" : text.Length > 0 ? text[^1..] : "";
        var number = text[..^unit.Length];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        value = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.MinValue,
        };
        return value != TimeSpan.MinValue;
    }
}
