using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>One compiled rule: a RouteIr per match (the default match when none), or an invalid rule.</summary>
internal sealed record CompiledRule(int Index, ImmutableArray<RouteIr> Routes, ImmutableArray<BackendTarget> Targets, string? InvalidMessage);

/// <summary>The verdict for one parentRef of a route.</summary>
internal sealed record RouteParentResult(ParentReference ParentRef, bool Accepted, string Reason, string Message);

/// <summary>
/// An HTTPRoute, or a GRPCRoute in HTTPRoute form (<see cref="GrpcRouteTranslator"/>): its compiled
/// rules, its reference problems, and its verdict per parent.
/// </summary>
internal sealed class HttpRouteState
{
    public required HttpRoute Route { get; init; }

    /// <summary>The kind the user wrote: HTTPRoute or GRPCRoute (status, ReferenceGrants, allowedRoutes.kinds).</summary>
    public string Kind { get; init; } = HttpRoute.KindName;

    public required IReadOnlyList<CompiledRule> Rules { get; init; }

    /// <summary>First unresolved-reference reason (BackendNotFound, RefNotPermitted, InvalidKind), or null when all resolve.</summary>
    public string? UnresolvedReason { get; init; }
    public IReadOnlyList<string> UnresolvedMessages { get; init; } = [];

    public List<RouteParentResult> Parents { get; } = [];

    public string Namespace => Route.Metadata.NamespaceProperty ?? "";
    public string Name => Route.Metadata.Name;
    public string Id => field ??= TranslationContext.Id(Route.Metadata);

    /// <summary>
    /// The key in <see cref="ListenerState.Attached"/>: "namespace/name" for HTTPRoutes, prefixed with
    /// the kind for other kinds, so that an HTTPRoute and a GRPCRoute of the same name stay two routes.
    /// </summary>
    public string AttachmentKey => field ??= Kind == HttpRoute.KindName ? Id : $"{Kind}/{Id}";

    public long? Generation => Route.Metadata.Generation;
    public DateTime? CreationTimestamp => Route.Metadata.CreationTimestamp;

    public IEnumerable<CompiledRule> InvalidRules => Rules.Where(r => r.InvalidMessage is not null);

    /// <summary>Every rule is invalid (and there is at least one): the route is not accepted (UnsupportedValue).</summary>
    public bool AllRulesInvalid => _allRulesInvalid ??= ComputeAllRulesInvalid();

    // Asked for every route by attachment and IR building; the rules never change after construction.
    private bool? _allRulesInvalid;

    private bool ComputeAllRulesInvalid()
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].InvalidMessage is null)
            {
                return false;
            }
        }

        return Rules.Count > 0;
    }
}

/// <summary>
/// Pass 3. Compiles each HTTPRoute's rules once (matches, filters, backends) and attaches the route
/// to the listeners its parentRefs select: sectionName/port select listeners (else NoMatchingParent),
/// allowedRoutes must admit the route's namespace and kind (else NotAllowedByListeners), and the
/// hostnames must intersect (else NoMatchingListenerHostname).
/// </summary>
internal static class HttpRouteTranslator
{
    public const string IncompatibleFilters = "IncompatibleFilters";

    public static List<HttpRouteState> Translate(TranslationContext context, List<GatewayState> gateways)
    {
        var byId = gateways.ToDictionary(g => g.Id, StringComparer.Ordinal);
        var result = new List<HttpRouteState>(context.Snapshot.HttpRoutes.Length + context.Snapshot.GrpcRoutes.Length);
        var cache = context.Options.Cache;
        var reused = 0;
        foreach (var route in context.Snapshot.HttpRoutes)
        {
            HttpRouteState state;
            if (cache is null)
            {
                state = Compile(context, route, HttpRoute.KindName);
            }
            else if (cache.TryGetCompiled(route, out var compiled))
            {
                context.Diagnostics.AddRange(compiled.Diagnostics);
                state = new HttpRouteState
                {
                    Route = route,
                    Kind = HttpRoute.KindName,
                    Rules = compiled.Rules,
                    UnresolvedReason = compiled.UnresolvedReason,
                    UnresolvedMessages = compiled.UnresolvedMessages,
                };
                reused++;
            }
            else
            {
                var mark = context.Diagnostics.Count;
                state = Compile(context, route, HttpRoute.KindName);
                cache.KeepCompiled(route, new CompiledHttpRoute(state.Rules, state.UnresolvedReason, state.UnresolvedMessages, context.Diagnostics.Since(mark)));
            }

            if (cache is null)
            {
                Attach(context, state, byId, recorded: null);
            }
            else if (cache.TryGetAttachment(route, state.Rules, out var memo))
            {
                Replay(context, state, byId, memo);
            }
            else
            {
                var mark = context.Diagnostics.Count;
                var recorded = new List<ListenerAttachment>(1);
                Attach(context, state, byId, recorded);
                cache.KeepAttachment(route, new AttachmentMemo(state.Rules, [.. state.Parents], recorded, context.Diagnostics.Since(mark)));
            }

            result.Add(state);
        }

        if (context.Options.Cache is { } stats)
        {
            stats.LastRouteCounts = (reused, context.Snapshot.HttpRoutes.Length - reused);
        }

        // GRPCRoutes go through the same compilation and attachment, in HTTPRoute form
        // (converted afresh each time, so not cached).
        foreach (var route in context.Snapshot.GrpcRoutes)
        {
            var state = Compile(context, GrpcRouteTranslator.ToHttpRoute(context, route), GrpcRoute.KindName);
            Attach(context, state, byId, recorded: null);
            result.Add(state);
        }

        return result;
    }

    private static HttpRouteState Compile(TranslationContext context, HttpRoute route, string kind)
    {
        var ns = route.Metadata.NamespaceProperty ?? "";
        var id = $"{kind}/{TranslationContext.Id(route.Metadata)}";
        var rules = new List<CompiledRule>();
        string? unresolvedReason = null;
        var unresolved = new List<string>();
        // The CRD's default when rules are omitted: one rule matching PathPrefix "/" with no backends (500).
        var specRules = route.Spec.Rules ?? [new HttpRouteRule()];
        for (var i = 0; i < specRules.Count; i++)
        {
            var rule = specRules[i];
            var errors = new List<string>();
            if (rule.Retry is not null)
            {
                context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, $"spec.rules[{i}].retry", "retries are not applied by Weft yet");
            }

            if (rule.SessionPersistence is not null)
            {
                context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, $"spec.rules[{i}].sessionPersistence", "session persistence is not applied by Weft yet");
            }

            var matches = CompileMatches(rule, errors);
            var matchesInvalid = errors.Count > 0;
            var targets = ImmutableArray.CreateBuilder<BackendTarget>();
            var mirrorIndex = 0;
            var filters = FilterTranslator.Compile(rule.Filters, $"filters", errors, mirror =>
            {
                var result = Mirror(context, ns, kind, mirror, out var target, out var failure);
                if (target is not null)
                {
                    targets.Add(target);
                    if (kind == GrpcRoute.KindName)
                    {
                        context.GrpcClusters.Add(target.ClusterName); // a mirrored gRPC call is HTTP/2 too
                    }
                }
                else
                {
                    // An unresolved mirror is dropped; the rule keeps serving (a mirror never decides
                    // the fate of the request), and ResolvedRefs reports the reference.
                    unresolvedReason ??= failure!.FailureReason;
                    unresolved.Add($"spec.rules[{i}] RequestMirror {mirrorIndex}: {failure!.FailureMessage}");
                }

                mirrorIndex++;
                return result;
            });
            CheckFilterCombination(rule, matches, errors);
            var timeouts = CompileTimeouts(rule.Timeouts, errors);

            var backends = ImmutableArray.CreateBuilder<BackendIr>();
            var refs = rule.BackendRefs ?? [];
            for (var b = 0; b < refs.Count; b++)
            {
                var r = refs[b];
                var resolved = BackendResolver.Resolve(context, ns, r.Group ?? "", r.Kind ?? "Service", r.Name, r.Namespace, r.Port, kind);
                var backendFilters = FilterTranslator.CompileBackendFilters(r.Filters, $"backendRefs[{b}].filters", errors);
                if (resolved.Target is { } t)
                {
                    targets.Add(t);
                    if (kind == GrpcRoute.KindName)
                    {
                        context.GrpcClusters.Add(t.ClusterName);
                    }
                }
                else
                {
                    unresolvedReason ??= resolved.FailureReason;
                    unresolved.Add($"spec.rules[{i}].backendRefs[{b}]: {resolved.FailureMessage}");
                }

                backends.Add(new BackendIr
                {
                    Cluster = resolved.Target?.ClusterName,
                    Weight = r.Weight ?? 1,
                    InvalidReason = resolved.Target is null ? $"{resolved.FailureReason}: {resolved.FailureMessage}" : null,
                    Filters = backendFilters,
                });
            }

            var invalid = errors.Count == 0 ? null : $"rule {i}{(rule.Name is null ? "" : $" ({rule.Name})")}: {string.Join("; ", errors)}";
            var routes = ImmutableArray.CreateBuilder<RouteIr>();

            // A rule whose matches cannot be compiled (an invalid regex, an unknown match type)
            // cannot claim them: it is dropped outright.
            for (var m = 0; m < (matchesInvalid ? 0 : matches.Count); m++)
            {
                routes.Add(new RouteIr
                {
                    RouteNamespace = ns,
                    RouteName = route.Metadata.Name,
                    RuleIndex = i,
                    MatchIndex = m,
                    RuleName = rule.Name,
                    Match = matches[m],
                    // An invalid rule still claims its matches but answers 500: its requests must
                    // not fall through to a less specific route.
                    Filters = invalid is null ? filters : [],
                    Backends = invalid is null ? backends.ToImmutable() : [],
                    Timeouts = invalid is null ? timeouts : null,
                });
            }

            rules.Add(new CompiledRule(i, routes.ToImmutable(), invalid is null ? targets.ToImmutable() : [], invalid));
        }

        return new HttpRouteState
        {
            Route = route,
            Kind = kind,
            Rules = rules,
            UnresolvedReason = unresolvedReason,
            UnresolvedMessages = unresolved,
        };
    }

    /// <summary>A RequestMirror's backendRef, resolved like any backendRef (kinds, ReferenceGrants, ports); percent or fraction as a ratio.</summary>
    private static RequestMirrorIr? Mirror(TranslationContext context, string routeNamespace, string routeKind, HttpRequestMirrorFilter mirror, out BackendTarget? target, out ResolvedBackend? failure)
    {
        var r = mirror.BackendRef;
        var resolved = BackendResolver.Resolve(context, routeNamespace, r.Group ?? "", r.Kind ?? "Service", r.Name, r.Namespace, r.Port, routeKind);
        target = resolved.Target;
        failure = target is null ? resolved : null;
        if (target is null)
        {
            return null;
        }

        var (numerator, denominator) = (mirror.Percent, mirror.Fraction) switch
        {
            ({ } percent, _) => (percent, 100),
            (_, { } fraction) => (fraction.Numerator, fraction.Denominator ?? 100),
            _ => (1, 1),
        };
        return new RequestMirrorIr { Cluster = target.ClusterName, Numerator = numerator, Denominator = denominator };
    }

    private static List<MatchIr> CompileMatches(HttpRouteRule rule, List<string> errors)
    {
        var result = new List<MatchIr>();
        if (rule.Matches is null || rule.Matches.Count == 0)
        {
            result.Add(new MatchIr());
            return result;
        }

        foreach (var (m, mi) in rule.Matches.Select((m, mi) => (m, mi)))
        {
            var pathType = m.Path?.Type switch
            {
                null or "PathPrefix" => PathMatchType.PathPrefix,
                "Exact" => PathMatchType.Exact,
                "RegularExpression" => PathMatchType.RegularExpression,
                var other => Invalid(errors, $"matches[{mi}].path.type {other} is not supported", PathMatchType.PathPrefix),
            };
            var pathValue = m.Path?.Value ?? "/";
            if (pathType == PathMatchType.RegularExpression)
            {
                CheckRegex(pathValue, $"matches[{mi}].path.value", errors);
            }

            result.Add(new MatchIr
            {
                Path = new PathMatchIr { Type = pathType, Value = pathValue },
                Headers = CompileStringMatches(m.Headers?.Select(h => (h.Name, h.Type, h.Value)), $"matches[{mi}].headers", ignoreCase: true, errors),
                QueryParams = CompileStringMatches(m.QueryParams?.Select(q => (q.Name, q.Type, q.Value)), $"matches[{mi}].queryParams", ignoreCase: false, errors),
                Method = string.IsNullOrEmpty(m.Method) ? null : m.Method.ToUpperInvariant(),
            });
        }

        return result;
    }

    /// <summary>Header names compare case-insensitively, query names exactly; a repeated name keeps the first entry (spec).</summary>
    private static ImmutableArray<StringMatchIr> CompileStringMatches(IEnumerable<(string Name, string? Type, string Value)>? items, string field, bool ignoreCase, List<string> errors)
    {
        if (items is null)
        {
            return [];
        }

        var seen = new HashSet<string>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<StringMatchIr>();
        foreach (var (name, type, value) in items)
        {
            if (!seen.Add(name))
            {
                continue;
            }

            var t = type switch
            {
                null or "Exact" => StringMatchType.Exact,
                "RegularExpression" => StringMatchType.RegularExpression,
                var other => Invalid(errors, $"{field} {name}: type {other} is not supported", StringMatchType.Exact),
            };
            if (t == StringMatchType.RegularExpression)
            {
                CheckRegex(value, $"{field} {name}", errors);
            }

            result.Add(new StringMatchIr { Name = name, Type = t, Value = value });
        }

        return result.ToImmutable();
    }

    private static void CheckFilterCombination(HttpRouteRule rule, List<MatchIr> matches, List<string> errors)
    {
        var filters = rule.Filters ?? [];
        if (filters.Any(f => f.Type == "RequestRedirect") && filters.Any(f => f.Type == "URLRewrite"))
        {
            errors.Add("RequestRedirect and URLRewrite cannot be combined in one rule");
        }

        var prefixRewrite = filters.Any(f =>
            (f.Type == "RequestRedirect" && f.RequestRedirect?.Path?.Type == "ReplacePrefixMatch")
            || (f.Type == "URLRewrite" && f.UrlRewrite?.Path?.Type == "ReplacePrefixMatch"));
        if (prefixRewrite && matches.Any(m => m.Path.Type != PathMatchType.PathPrefix))
        {
            errors.Add("ReplacePrefixMatch needs every match of the rule to be a PathPrefix match");
        }
    }

    private static TimeoutsIr? CompileTimeouts(HttpRouteTimeouts? timeouts, List<string> errors)
    {
        if (timeouts is null)
        {
            return null;
        }

        var request = Parse(timeouts.Request, "timeouts.request");
        var backend = Parse(timeouts.BackendRequest, "timeouts.backendRequest");
        if (request is { } r && backend is { } b && b > r)
        {
            errors.Add($"timeouts.backendRequest ({timeouts.BackendRequest}) must not exceed timeouts.request ({timeouts.Request})");
        }

        return request is null && backend is null ? null : new TimeoutsIr { Request = request, BackendRequest = backend };

        TimeSpan? Parse(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (!GatewayDuration.TryParse(text, out var value))
            {
                errors.Add($"{field} {text} is not a Gateway API duration (e.g. 10s, 500ms, 1h30m)");
                return null;
            }

            // "0s" disables the timeout (spec): no timeout at all.
            return value == TimeSpan.Zero ? null : value;
        }
    }

    // The IR validator's own rule (RE2 syntax), so a route the proxy would NACK never reaches the IR. Validation
    // has already run the full check (WEFT0015: also whether .NET's engine takes the pattern, ~1 ms a pattern);
    // the syntax check here costs microseconds, and the translator runs on every change.
    private static void CheckRegex(string pattern, string field, List<string> errors)
    {
        if (!Re2Syntax.TryTranslate(pattern, out _, out var problem))
        {
            errors.Add($"{field}: not an RE2 regular expression Weft can match in linear time ({problem})");
        }
    }

    private static T Invalid<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }

    // What an earlier translation decided for this route object against the same Gateways (see
    // TranslationCache.TryGetAttachment), applied again: its listeners and hostnames, its verdict per
    // parent, its findings.
    private static void Replay(TranslationContext context, HttpRouteState route, Dictionary<string, GatewayState> gateways, AttachmentMemo memo)
    {
        for (var i = 0; i < memo.Attachments.Count; i++)
        {
            var (gateway, listener, hostnames) = memo.Attachments[i];
            AddHostnames(route, gateways[gateway].Listeners[listener], hostnames);
        }

        route.Parents.AddRange(memo.Parents);
        context.Diagnostics.AddRange(memo.Diagnostics);
    }

    /// <param name="recorded">When not null, receives each (gateway, listener index, hostnames) the route attaches to.</param>
    private static void Attach(TranslationContext context, HttpRouteState route, Dictionary<string, GatewayState> gateways, List<ListenerAttachment>? recorded)
    {
        var parentRefs = route.Route.Spec.ParentRefs ?? [];
        for (var p = 0; p < parentRefs.Count; p++)
        {
            var pr = parentRefs[p];
            var group = pr.Group ?? GatewayApiGroup.Name;
            var kind = pr.Kind ?? Gateway.KindName;
            if (group != GatewayApiGroup.Name || kind != Gateway.KindName)
            {
                // Mesh (Service) parents of HTTPRoutes are the mesh translator's business; anything else is no one's.
                if (!(group.Length == 0 && kind == "Service" && route.Kind == HttpRoute.KindName))
                {
                    context.Diagnostics.Add(TranslationDiagnostics.UnsupportedParentKind, $"{route.Kind}/{route.Id}", $"spec.parentRefs[{p}]",
                        $"parent kind {kind}.{group} is not served for a {route.Kind}; no status is written for it");
                }

                continue;
            }

            var ns = string.IsNullOrEmpty(pr.Namespace) ? route.Namespace : pr.Namespace;
            var gatewayId = TranslationContext.Id(ns, pr.Name);
            var statusRef = pr with { Group = group, Kind = kind, Namespace = ns };
            if (!context.Gateways.ContainsKey(gatewayId))
            {
                route.Parents.Add(new RouteParentResult(statusRef, false, Reasons.NoMatchingParent, $"Gateway {gatewayId} not found"));
                continue;
            }

            if (!gateways.TryGetValue(gatewayId, out var gateway))
            {
                continue; // another controller's Gateway: its controller writes this parent's status
            }

            route.Parents.Add(AttachToGateway(context, route, gateway, statusRef, recorded));
        }
    }

    private static RouteParentResult AttachToGateway(TranslationContext context, HttpRouteState route, GatewayState gateway, ParentReference parentRef,
        List<ListenerAttachment>? recorded)
    {
        // Loops rather than LINQ, and no list for the usual single listener: this runs for every
        // route on every translation.
        var selectedCount = 0;
        ListenerState? firstAllowed = null;
        List<ListenerState>? moreAllowed = null;
        for (var i = 0; i < gateway.Listeners.Count; i++)
        {
            var l = gateway.Listeners[i];
            if (Selects(parentRef, l))
            {
                selectedCount++;
                if (l.AllowsKind(route.Kind) && NamespaceAllowed(context, gateway, l, route.Namespace))
                {
                    if (firstAllowed is null)
                    {
                        firstAllowed = l;
                    }
                    else
                    {
                        (moreAllowed ??= []).Add(l);
                    }
                }
            }
        }

        if (selectedCount == 0)
        {
            var what = (parentRef.SectionName, parentRef.Port) switch
            {
                (not null, not null) => $"no listener named {parentRef.SectionName} on port {parentRef.Port}",
                (not null, null) => $"no listener named {parentRef.SectionName}",
                (null, not null) => $"no listener on port {parentRef.Port}",
                _ => "the Gateway has no listeners",
            };
            return new RouteParentResult(parentRef, false, Reasons.NoMatchingParent, $"Gateway {gateway.Id}: {what}");
        }

        if (firstAllowed is null)
        {
            var why = gateway.Listeners
                .Where(l => Selects(parentRef, l))
                .Select(l => l.AllowsKind(route.Kind)
                    ? $"listener {l.Name} does not admit routes from namespace {route.Namespace} (from: {l.Listener.AllowedRoutes?.Namespaces?.From ?? "Same"})"
                    : $"listener {l.Name} does not admit the kind {route.Kind}");
            return new RouteParentResult(parentRef, false, Reasons.NotAllowedByListeners, $"Gateway {gateway.Id}: {string.Join("; ", why)}");
        }

        var attachedAny = AttachToListener(route, gateway, firstAllowed, recorded);
        if (moreAllowed is not null)
        {
            foreach (var listener in moreAllowed)
            {
                attachedAny |= AttachToListener(route, gateway, listener, recorded);
            }
        }

        if (!attachedAny)
        {
            List<ListenerState> allowed = moreAllowed is null ? [firstAllowed] : [firstAllowed, .. moreAllowed];
            return new RouteParentResult(parentRef, false, Reasons.NoMatchingListenerHostname,
                $"no hostname of the route intersects the hostname of listener(s) {string.Join(", ", allowed.Select(l => $"{l.Name} ({l.Hostname ?? "any"})"))}");
        }

        if (route.AllRulesInvalid)
        {
            return new RouteParentResult(parentRef, false, Reasons.UnsupportedValue,
                "every rule is invalid: " + string.Join("; ", route.InvalidRules.Select(r => r.InvalidMessage)));
        }

        return new RouteParentResult(parentRef, true, Reasons.Accepted, "the route is accepted");
    }

    // A parentRef's sectionName and port, when given, pick the listeners it attaches to.
    private static bool Selects(ParentReference parentRef, ListenerState listener) =>
        (parentRef.SectionName is null || listener.Name == parentRef.SectionName)
        && (parentRef.Port is null || listener.Listener.Port == parentRef.Port);

    // Records the hostnames the route serves on the listener; false when it serves none there.
    private static bool AttachToListener(HttpRouteState route, GatewayState gateway, ListenerState listener, List<ListenerAttachment>? recorded)
    {
        var hosts = HostnameIntersection.ForRoute(listener.Hostname, route.Route.Spec.Hostnames);
        if (hosts.Count == 0)
        {
            return false;
        }

        recorded?.Add(new ListenerAttachment(gateway.Id, listener.Index, hosts));
        AddHostnames(route, listener, hosts);
        return true;
    }

    private static void AddHostnames(HttpRouteState route, ListenerState listener, IReadOnlyList<string> hosts)
    {
        if (!listener.Attached.TryGetValue(route.AttachmentKey, out var attached))
        {
            attached = new AttachedRoute { Route = route };
            listener.Attached[route.AttachmentKey] = attached;
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            if (!attached.Hostnames.Contains(hosts[i]))
            {
                attached.Hostnames.Add(hosts[i]);
            }
        }
    }

    private static bool NamespaceAllowed(TranslationContext context, GatewayState gateway, ListenerState listener, string routeNamespace)
    {
        var from = listener.Listener.AllowedRoutes?.Namespaces;
        return (from?.From ?? "Same") switch
        {
            "All" => true,
            "Same" => routeNamespace == gateway.Namespace,
            "Selector" => from?.Selector is { } selector && LabelSelectors.Matches(selector, context.NamespaceLabels(routeNamespace)),
            _ => false,
        };
    }
}
