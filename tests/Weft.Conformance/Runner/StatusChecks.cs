using System.Text.Json.Nodes;

namespace Weft.Conformance.Runner;

/// <summary>
/// The status checks of expectations.json (FORMAT.md section 4), with the Go helpers' polling,
/// timeouts and quirks. Each throws a <see cref="ConformanceFailure"/> saying what it expected and
/// what it last saw.
/// </summary>
internal static class StatusChecks
{
    private const string GatewayGroup = "gateway.networking.k8s.io";

    public static async Task RunAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var ct = run.Ct;
        var kind = check.Str("check");
        run.Note($"check {kind} {Brief(check)}");
        switch (kind)
        {
            case "NamespacesReady":
                await NamespacesReadyAsync(s, check.Strings("namespaces"), ct);
                break;
            case "GatewayAndRoutesAccepted":
                await GatewayAndRoutesAcceptedAsync(run, check, listenersStep: true, routeTimeout: "RouteMustHaveParents");
                break;
            case "GatewayAndTLSRoutesAccepted":
                await GatewayAndRoutesAcceptedAsync(run, check, listenersStep: false, routeTimeout: "RouteMustHaveParents");
                break;
            case "GatewayHasAddress":
                await GatewayAddressAsync(s, check["gateway"]!, ct);
                break;
            case "RouteCondition":
                await RouteConditionAsync(run, check);
                break;
            case "RouteParents":
                await RouteParentsAsync(run, check);
                break;
            case "RouteNoAcceptedParents":
                await RouteNoAcceptedParentsAsync(run, check);
                break;
            case "GatewayZeroRoutes":
                await GatewayZeroRoutesAsync(run, check);
                break;
            case "GatewayCondition":
                await GatewayConditionAsync(run, check);
                break;
            case "GatewayStatusListeners":
                await GatewayStatusListenersAsync(run, check);
                break;
            case "GatewayLatestConditions":
                await GatewayLatestConditionsAsync(run, check);
                break;
            case "RouteLatestConditions":
                await LatestParentConditionsAsync(run, check, "parents");
                break;
            case "BackendTLSPolicyLatestConditions":
                await LatestParentConditionsAsync(run, check, "ancestors");
                break;
            case "GatewayClassAccepted":
                await GatewayClassAcceptedAsync(run, check);
                break;
            case "GatewayClassLatestConditions":
                await GatewayClassLatestConditionsAsync(run, check);
                break;
            case "GenerationChanged":
                await GenerationChangedAsync(run, check);
                break;
            case "BackendTLSPolicyCondition":
                await BackendTlsPolicyConditionAsync(run, check);
                break;
            case "GatewaySpecAddressCount":
                await SpecCountAsync(run, "Gateway", check["gateway"]!, "addresses", check);
                break;
            case "GatewaySpecListenerCount":
                await SpecCountAsync(run, "Gateway", check["gateway"]!, "listeners", check);
                break;
            case "RouteSpecHostnameCount":
                await SpecCountAsync(run, check.Str("kind")!, check, "hostnames", check);
                break;
            case "GatewayStaticAddressesFinal":
                await GatewayStaticAddressesFinalAsync(run, check);
                break;
            default:
                throw new ConformanceFailure(FailureStage.Runner, $"the runner does not implement the status check {kind} (see the test's notes in expectations.json)");
        }
    }

    private static string Brief(JsonObject check)
    {
        if (check["namespaces"] is JsonArray namespaces)
        {
            return string.Join(", ", namespaces);
        }

        var target = check["gateway"] ?? check;
        return $"{target.Str("namespace")}/{target.Str("name")}";
    }

    // ---- fetching ----------------------------------------------------------------------------

    public static async Task<JsonObject?> FetchAsync(Session s, string kind, string? ns, string name, CancellationToken ct)
    {
        try
        {
            return await s.Weft.GetAsync(Kinds.Plural(kind), Kinds.IsClusterScoped(kind) ? null : ns, name, ct);
        }
        catch (InvalidOperationException e)
        {
            throw new ConformanceFailure(FailureStage.Status, $"cannot read {kind} {ns}/{name} from Weft's API: {e.Message}");
        }
    }

    private static async Task<JsonObject> MustFetchAsync(Session s, string kind, string? ns, string name, CancellationToken ct) =>
        await FetchAsync(s, kind, ns, name, ct) ?? throw new ConformanceFailure(FailureStage.Status, $"{kind} {ns}/{name} does not exist");

    private static List<Cond> Stale(JsonObject obj, IEnumerable<Cond> conditions) =>
        [.. conditions.Where(c => c.ObservedGeneration != obj.Generation())];

    // ---- checks ------------------------------------------------------------------------------

    public static Task NamespacesReadyAsync(Session s, IReadOnlyList<string> namespaces, CancellationToken ct) =>
        Poll.UntilAsync(s.Timeouts["NamespacesMustBeReady"], async () =>
        {
            foreach (var ns in namespaces)
            {
                foreach (var gw in await s.Weft.ListAsync("gateways", ns, ct))
                {
                    if (gw["metadata"]?["annotations"]?.Str("gateway-api/skip-this-for-readiness") == "true")
                    {
                        continue;
                    }

                    var conditions = Status.Conditions(gw["status"]);
                    var stale = Stale(gw, conditions);
                    if (stale.Count > 0)
                    {
                        return (false, $"Gateway {ns}/{gw.Name()} generation {gw.Generation()} has stale conditions: {Status.List(stale)}");
                    }

                    if (!Status.Has(conditions, "Accepted", "True", null) || !Status.Has(conditions, "Programmed", "True", null))
                    {
                        return (false, $"Gateway {ns}/{gw.Name()} is not Accepted=True and Programmed=True: {Status.List(conditions)}");
                    }
                }
            }

            // Pods: the in-process echo servers are ready once started.
            return (true, "");
        }, $"NamespacesReady {string.Join(", ", namespaces)}", FailureStage.Status, ct);

    /// <summary>The Gateway's address as the suite reads it (3.3): the first status address with a type, once its conditions are up to date.</summary>
    public static async Task<string> GatewayAddressAsync(Session s, JsonNode gateway, CancellationToken ct)
    {
        var name = gateway.Str("name")!;
        var ns = gateway.Str("namespace")!;
        return (await Poll.UntilAsync(s.Timeouts["GatewayMustHaveAddress"], async () =>
        {
            var gw = await FetchAsync(s, "Gateway", ns, name, ct);
            if (gw is null)
            {
                return (false, "Gateway not found", (string?)null);
            }

            var stale = Stale(gw, Status.Conditions(gw["status"]));
            if (stale.Count > 0)
            {
                return (false, $"generation {gw.Generation()}, stale conditions: {Status.List(stale)}", null);
            }

            var address = gw["status"].Objects("addresses").FirstOrDefault(a => !string.IsNullOrEmpty(a.Str("type")));
            return address is null
                ? (false, "no status.addresses entry with a type: " + (gw["status"]?["addresses"]?.ToJsonString() ?? "none"), null)
                : (true, "", address.Str("value"));
        }, $"Gateway {ns}/{name} must have an address", FailureStage.Status, ct))!;
    }

    private static async Task GatewayAndRoutesAcceptedAsync(TestRun run, JsonObject check, bool listenersStep, string routeTimeout)
    {
        var s = run.Session;
        var ct = run.Ct;
        var gateway = check["gateway"]!;
        var gwName = gateway.Str("name")!;
        var gwNs = gateway.Str("namespace")!;
        var listenerNames = check.Strings("listenerNames");
        var routeKind = check.Str("routeKind") ?? "HTTPRoute";

        await GatewayAddressAsync(s, gateway, ct);

        var expectedCount = Math.Max(1, listenerNames.Count);
        foreach (var route in check.Objects("routes"))
        {
            var rName = route.Str("name")!;
            var rNs = route.Str("namespace")!;
            await Poll.UntilAsync(s.Timeouts[routeTimeout], async () =>
            {
                var obj = await FetchAsync(s, routeKind, rNs, rName, ct);
                if (obj is null)
                {
                    return (false, $"{routeKind} not found");
                }

                var parents = obj["status"].Objects("parents").ToList();
                if (parents.Count != expectedCount)
                {
                    return (false, $"expected {expectedCount} status.parents entr{(expectedCount == 1 ? "y" : "ies")}, got {parents.Count}: {Parents(parents)}");
                }

                for (var i = 0; i < parents.Count; i++)
                {
                    var p = parents[i];
                    var problem = ParentRefProblem(s, p, gwName, gwNs, namespaceRequired: rNs != gwNs, expectedGroup: GatewayGroup, expectedKind: "Gateway");
                    if (problem is not null)
                    {
                        return (false, $"parents[{i}]: {problem}");
                    }

                    var conditions = Status.Conditions(p);
                    if (!Status.Has(conditions, "Accepted", "True", "Accepted"))
                    {
                        return (false, $"parents[{i}] has no Accepted=True/Accepted: {Status.List(conditions)}");
                    }
                }

                return (true, "");
            }, $"{routeKind} {rNs}/{rName} must be accepted by Gateway {gwNs}/{gwName}", FailureStage.Status, ct);
        }

        if (!listenersStep)
        {
            return;
        }

        await Poll.UntilAsync(s.Timeouts["GatewayListenersMustHaveConditions"], async () =>
        {
            var gw = await MustFetchAsync(s, "Gateway", gwNs, gwName, ct);
            foreach (var listener in gw["status"].Objects("listeners"))
            {
                var conditions = Status.Conditions(listener);
                foreach (var type in new[] { "ResolvedRefs", "Accepted", "Programmed" })
                {
                    if (!Status.Has(conditions, type, "True", null))
                    {
                        return (false, $"listener {listener.Str("name")} has no {type}=True: {Status.List(conditions)}");
                    }
                }
            }

            return (true, "");
        }, $"every listener of Gateway {gwNs}/{gwName} must be ResolvedRefs, Accepted and Programmed", FailureStage.Status, ct);
    }

    private static string Parents(IEnumerable<JsonObject> parents)
    {
        var s = string.Join("; ", parents.Select(p => $"{p["parentRef"]?.ToJsonString()} {Status.List(Status.Conditions(p))}"));
        return s.Length == 0 ? "none" : s;
    }

    private static string? ParentRefProblem(Session s, JsonObject parent, string name, string? ns, bool namespaceRequired, string? expectedGroup, string? expectedKind)
    {
        if (parent.Str("controllerName") != s.Controller)
        {
            return $"controllerName is {parent.Str("controllerName") ?? "unset"}, expected {s.Controller}";
        }

        var pr = parent["parentRef"];
        if (pr.Str("group") != expectedGroup)
        {
            return $"parentRef.group is {pr.Str("group") ?? "unset"}, expected {expectedGroup ?? "unset"}";
        }

        if (pr.Str("kind") != expectedKind)
        {
            return $"parentRef.kind is {pr.Str("kind") ?? "unset"}, expected {expectedKind ?? "unset"}";
        }

        if (pr.Str("name") != name)
        {
            return $"parentRef.name is {pr.Str("name")}, expected {name}";
        }

        var actualNs = pr.Str("namespace");
        if (actualNs != ns && (namespaceRequired || actualNs is not null))
        {
            return $"parentRef.namespace is {actualNs ?? "unset"}, expected {ns ?? "unset"}";
        }

        return null;
    }

    private static Task RouteConditionAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var kind = check.Str("kind")!;
        var name = check.Str("name")!;
        var ns = check.Str("namespace")!;
        var parent = check["parent"]!;
        var type = check.Str("type")!;
        var status = check.Str("status");
        var reason = check.Str("reason");
        var timeout = kind == "TLSRoute" ? "TLSRouteMustHaveCondition" : "HTTPRouteMustHaveCondition";
        return Poll.UntilAsync(s.Timeouts[timeout], async () =>
        {
            var route = await FetchAsync(s, kind, ns, name, run.Ct);
            if (route is null)
            {
                return (false, $"{kind} not found");
            }

            var parents = route["status"].Objects("parents").ToList();
            foreach (var p in parents)
            {
                var stale = Stale(route, Status.Conditions(p));
                if (stale.Count > 0)
                {
                    return (false, $"generation {route.Generation()}, stale parent conditions: {Status.List(stale)}");
                }
            }

            var match = parents.Any(p =>
                p["parentRef"].Str("name") == parent.Str("name")
                && (p["parentRef"].Str("namespace") is not { } pns || pns == parent.Str("namespace"))
                && Status.Has(Status.Conditions(p), type, status, reason));
            return match ? (true, "") : (false, "status.parents: " + Parents(parents));
        }, $"{kind} {ns}/{name} must have {type}={status ?? "any"}/{reason ?? "any"} for parent {parent.Str("namespace")}/{parent.Str("name")}", FailureStage.Status, run.Ct);
    }

    private static Task RouteParentsAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var kind = check.Str("kind")!;
        var name = check.Str("name")!;
        var ns = check.Str("namespace")!;
        var namespaceRequired = check.Bool("namespaceRequired") ?? false;
        var expected = check.Objects("parents").ToList();
        return Poll.UntilAsync(s.Timeouts["RouteMustHaveParents"], async () =>
        {
            var route = await FetchAsync(s, kind, ns, name, run.Ct);
            if (route is null)
            {
                return (false, $"{kind} not found");
            }

            var parents = route["status"].Objects("parents").ToList();
            if (parents.Count != expected.Count)
            {
                return (false, $"expected {expected.Count} parents, got {parents.Count}: {Parents(parents)}");
            }

            for (var i = 0; i < expected.Count; i++)
            {
                var e = expected[i];
                var er = e["parentRef"];
                var controller = e.Str("controllerName") == s.Suite.ControllerNamePlaceholder ? s.Controller : e.Str("controllerName");
                if (parents[i].Str("controllerName") != controller)
                {
                    return (false, $"parents[{i}].controllerName is {parents[i].Str("controllerName")}, expected {controller}");
                }

                var problem = ParentRefProblem(s, parents[i], er.Str("name")!, er.Str("namespace"), namespaceRequired, er.Str("group"), er.Str("kind"));
                if (problem is not null)
                {
                    return (false, $"parents[{i}]: {problem}");
                }

                var actual = Status.Conditions(parents[i]);
                var wanted = Status.Conditions(e);
                if (actual.Count < wanted.Count || wanted.Any(w => !Status.Has(actual, w.Type, w.Status, w.Reason)))
                {
                    return (false, $"parents[{i}] conditions {Status.List(actual)}, expected to include {string.Join(", ", wanted.Select(w => $"{w.Type}={w.Status}/{w.Reason}"))}");
                }
            }

            return (true, "");
        }, $"{kind} {ns}/{name} must have exactly the expected status.parents", FailureStage.Status, run.Ct);
    }

    private static Task RouteNoAcceptedParentsAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var kind = check.Str("kind")!;
        var name = check.Str("name")!;
        var ns = check.Str("namespace")!;
        var sawEmpty = false;
        return Poll.UntilAsync(s.Timeouts["HTTPRouteMustNotHaveParents"], async () =>
        {
            var route = await FetchAsync(s, kind, ns, name, run.Ct);
            if (route is null)
            {
                return (false, $"{kind} not found");
            }

            var parents = route["status"].Objects("parents").ToList();
            if (parents.Count == 0)
            {
                var pass = sawEmpty;
                sawEmpty = true;
                return (pass, "status.parents empty (needs a second empty observation)");
            }

            if (parents.Count > 1)
            {
                return (false, $"{parents.Count} parents: {Parents(parents)}");
            }

            var conditions = Status.Conditions(parents[0]);
            var stale = Stale(route, conditions);
            if (stale.Count > 0)
            {
                return (false, $"generation {route.Generation()}, stale conditions {Status.List(stale)}");
            }

            return Status.Has(conditions, "Accepted", "False", null)
                ? (true, "")
                : (false, "the one parent is not Accepted=False: " + Parents(parents));
        }, $"{kind} {ns}/{name} must not be accepted by any parent", FailureStage.Status, run.Ct);
    }

    private static Task GatewayZeroRoutesAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var g = check["gateway"]!;
        return Poll.UntilAsync(s.Timeouts["GatewayStatusMustHaveListeners"], async () =>
        {
            var gw = await MustFetchAsync(s, "Gateway", g.Str("namespace"), g.Str("name")!, run.Ct);
            var stale = Stale(gw, Status.Conditions(gw["status"]));
            if (stale.Count > 0)
            {
                return (false, $"generation {gw.Generation()}, stale conditions {Status.List(stale)}");
            }

            var listeners = gw["status"].Objects("listeners").ToList();
            if (listeners.Count == 0 || (listeners.Count == 1 && listeners[0].Long("attachedRoutes") == 0))
            {
                return (true, "");
            }

            return (false, "status.listeners: " + string.Join("; ", listeners.Select(l => $"{l.Str("name")} attachedRoutes={l.Long("attachedRoutes")}")));
        }, $"Gateway {g.Str("namespace")}/{g.Str("name")} must have no listener with attached routes", FailureStage.Status, run.Ct);
    }

    private static Task GatewayConditionAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var name = check.Str("name")!;
        var ns = check.Str("namespace")!;
        var type = check.Str("type")!;
        var status = check.Str("status");
        var reason = check.Str("reason");
        return Poll.UntilAsync(s.Timeouts["GatewayMustHaveCondition"], async () =>
        {
            var gw = await MustFetchAsync(s, "Gateway", ns, name, run.Ct);
            var conditions = Status.Conditions(gw["status"]);
            var stale = Stale(gw, conditions);
            if (stale.Count > 0)
            {
                // The Go helper aborts here rather than retrying.
                throw new ConformanceFailure(FailureStage.Status, $"Gateway {ns}/{name} generation {gw.Generation()} has stale conditions (the suite fails at once): {Status.List(stale)}");
            }

            return Status.Has(conditions, type, status, reason) ? (true, "") : (false, Status.List(conditions));
        }, $"Gateway {ns}/{name} must have {type}={status ?? "any"}/{reason ?? "any"}", FailureStage.Status, run.Ct);
    }

    private static Task GatewayStatusListenersAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var g = check["gateway"]!;
        var expected = check.Objects("listeners").ToList();
        return Poll.UntilAsync(s.Timeouts["GatewayStatusMustHaveListeners"], async () =>
        {
            var gw = await MustFetchAsync(s, "Gateway", g.Str("namespace"), g.Str("name")!, run.Ct);
            var stale = Stale(gw, Status.Conditions(gw["status"]));
            if (stale.Count > 0)
            {
                return (false, $"generation {gw.Generation()}, stale conditions {Status.List(stale)}");
            }

            var actual = gw["status"].Objects("listeners").ToList();
            if (actual.Count != expected.Count)
            {
                return (false, $"expected {expected.Count} listeners, got {actual.Count}: {string.Join(", ", actual.Select(l => l.Str("name")))}");
            }

            foreach (var e in expected)
            {
                var a = actual.FirstOrDefault(l => l.Str("name") == e.Str("name"));
                if (a is null)
                {
                    return (false, $"no status for listener {e.Str("name")}");
                }

                var eKinds = e.Objects("supportedKinds").Select(k => (k.Str("group") ?? GatewayGroup, k.Str("kind"))).ToList();
                var aKinds = a.Objects("supportedKinds").Select(k => (k.Str("group") ?? GatewayGroup, k.Str("kind"))).ToList();
                if (eKinds.Count == 0 ? aKinds.Count != 0 : eKinds.Any(k => !aKinds.Contains(k)))
                {
                    return (false, $"listener {e.Str("name")} supportedKinds {a["supportedKinds"]?.ToJsonString() ?? "[]"}, expected {e["supportedKinds"]?.ToJsonString()}");
                }

                if (a.Long("attachedRoutes") != e.Long("attachedRoutes"))
                {
                    return (false, $"listener {e.Str("name")} attachedRoutes {a.Long("attachedRoutes")}, expected {e.Long("attachedRoutes")}");
                }

                var aConditions = Status.Conditions(a);
                var eConditions = Status.Conditions(e);
                if (aConditions.Count < eConditions.Count || eConditions.Any(c => !Status.Has(aConditions, c.Type, c.Status, c.Reason)))
                {
                    return (false, $"listener {e.Str("name")} conditions {Status.List(aConditions)}, expected to include {string.Join(", ", eConditions.Select(c => $"{c.Type}={c.Status}/{(c.Reason.Length == 0 ? "any" : c.Reason)}"))}");
                }
            }

            return (true, "");
        }, $"Gateway {g.Str("namespace")}/{g.Str("name")} listener status", FailureStage.Status, run.Ct);
    }

    private static Task GatewayLatestConditionsAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var g = check["gateway"]!;
        return Poll.UntilAsync(s.Timeouts["LatestObservedGenerationSet"], async () =>
        {
            var gw = await MustFetchAsync(s, "Gateway", g.Str("namespace"), g.Str("name")!, run.Ct);
            var stale = Stale(gw, Status.Conditions(gw["status"]));
            return stale.Count == 0 ? (true, "") : (false, $"generation {gw.Generation()}, stale conditions {Status.List(stale)}");
        }, $"Gateway {g.Str("namespace")}/{g.Str("name")} conditions must have the latest observedGeneration", FailureStage.Status, run.Ct);
    }

    private static async Task LatestParentConditionsAsync(TestRun run, JsonObject check, string list)
    {
        var kind = check.Str("kind")!;
        var obj = await MustFetchAsync(run.Session, kind, check.Str("namespace"), check.Str("name")!, run.Ct);
        foreach (var p in obj["status"].Objects(list))
        {
            var stale = Stale(obj, Status.Conditions(p));
            if (stale.Count > 0)
            {
                throw new ConformanceFailure(FailureStage.Status, $"{kind} {check.Str("namespace")}/{check.Str("name")} generation {obj.Generation()}: status.{list} has stale conditions {Status.List(stale)}");
            }
        }
    }

    private static Task GatewayClassAcceptedAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var name = check.Str("name")!;
        var status = check.Str("status");
        return Poll.UntilAsync(s.Timeouts["GWCMustBeAccepted"], async () =>
        {
            var gwc = await MustFetchAsync(s, "GatewayClass", null, name, run.Ct);
            var conditions = Status.Conditions(gwc["status"]);
            var stale = Stale(gwc, conditions);
            if (stale.Count > 0)
            {
                return (false, $"generation {gwc.Generation()}, stale conditions {Status.List(stale)}");
            }

            return Status.Has(conditions, "Accepted", status, null) ? (true, "") : (false, Status.List(conditions));
        }, $"GatewayClass {name} must have Accepted={status ?? "any"}", FailureStage.Status, run.Ct);
    }

    private static async Task GatewayClassLatestConditionsAsync(TestRun run, JsonObject check)
    {
        var name = check.Str("name")!;
        var gwc = await MustFetchAsync(run.Session, "GatewayClass", null, name, run.Ct);
        var stale = Stale(gwc, Status.Conditions(gwc["status"]));
        if (stale.Count > 0)
        {
            throw new ConformanceFailure(FailureStage.Status, $"GatewayClass {name} generation {gwc.Generation()} has stale conditions {Status.List(stale)}");
        }
    }

    private static async Task GenerationChangedAsync(TestRun run, JsonObject check)
    {
        var kind = check.Str("kind")!;
        var ns = check.Str("namespace");
        var name = check.Str("name")!;
        var obj = await MustFetchAsync(run.Session, kind, ns, name, run.Ct);
        run.GenerationsBefore.TryGetValue(TestRun.Key(kind, ns, name), out var before);
        if (obj.Generation() == before)
        {
            throw new ConformanceFailure(FailureStage.Status, $"{kind} {ns}/{name}: metadata.generation is still {before} after the patch");
        }
    }

    private static Task BackendTlsPolicyConditionAsync(TestRun run, JsonObject check)
    {
        var s = run.Session;
        var name = check.Str("name")!;
        var ns = check.Str("namespace")!;
        var parent = check["parent"]!;
        var type = check.Str("type")!;
        var status = check.Str("status");
        var reason = check.Str("reason");
        return Poll.UntilAsync(s.Timeouts["HTTPRouteMustHaveCondition"], async () =>
        {
            var policy = await MustFetchAsync(s, "BackendTLSPolicy", ns, name, run.Ct);
            var ancestors = policy["status"].Objects("ancestors").ToList();
            foreach (var a in ancestors)
            {
                var stale = Stale(policy, Status.Conditions(a));
                if (stale.Count > 0)
                {
                    return (false, $"stale ancestor conditions {Status.List(stale)}");
                }
            }

            return ancestors.Any(a => a["ancestorRef"].Str("name") == parent.Str("name")
                                      && (a["ancestorRef"].Str("namespace") is not { } ans || ans == parent.Str("namespace"))
                                      && Status.Has(Status.Conditions(a), type, status, reason))
                ? (true, "")
                : (false, "status.ancestors: " + (policy["status"]?["ancestors"]?.ToJsonString() ?? "none"));
        }, $"BackendTLSPolicy {ns}/{name} must have {type}={status}/{reason ?? "any"} for ancestor {parent.Str("name")}", FailureStage.Status, run.Ct);
    }

    private static async Task SpecCountAsync(TestRun run, string kind, JsonNode target, string field, JsonObject check)
    {
        var obj = await MustFetchAsync(run.Session, kind, target.Str("namespace"), target.Str("name")!, run.Ct);
        var count = obj["spec"].Arr(field).Count;
        if (count != check.Long("count"))
        {
            throw new ConformanceFailure(FailureStage.Status, $"{kind} {target.Str("namespace")}/{target.Str("name")}: spec.{field} has {count} entries, expected {check.Long("count")}");
        }
    }

    /// <summary>
    /// GatewayStaticAddresses' last check (its notes): immediate, on the Gateway as it is now (the
    /// preceding checks have converged). spec.addresses has the expected count; status.addresses
    /// holds none of the values of the original entries listed and holds the usable one, with the
    /// type of that spec entry (Go compares the type pointers' values: absent == absent).
    /// </summary>
    private static async Task GatewayStaticAddressesFinalAsync(TestRun run, JsonObject check)
    {
        var g = check["gateway"]!;
        var ns = g.Str("namespace");
        var name = g.Str("name")!;
        var original = run.AppliedAtStart("Gateway", ns, name)
            ?? throw new ConformanceFailure(FailureStage.Runner, $"GatewayStaticAddressesFinal: Gateway {ns}/{name} was not applied by the test");
        var originalAddresses = original["spec"].Objects("addresses").ToList();
        var gw = await MustFetchAsync(run.Session, "Gateway", ns, name, run.Ct);
        var specCount = gw["spec"].Arr("addresses").Count;
        if (check.Long("specAddressCount") is { } expectedCount && specCount != expectedCount)
        {
            throw new ConformanceFailure(FailureStage.Status, $"Gateway {ns}/{name}: spec.addresses has {specCount} entries, expected {expectedCount}");
        }

        var status = gw["status"].Objects("addresses").ToList();
        var shown = gw["status"]?["addresses"]?.ToJsonString() ?? "none";
        foreach (var index in check["statusMustNotContainValueOfOriginalIndex"] as JsonArray ?? [])
        {
            var value = originalAddresses[(int)index!.GetValue<long>()].Str("value");
            if (status.Any(a => a.Str("value") == value))
            {
                throw new ConformanceFailure(FailureStage.Status, $"Gateway {ns}/{name}: status.addresses must not contain {value}: {shown}");
            }
        }

        var usable = originalAddresses[(int)check.Long("statusMustContainValueOfOriginalIndex")!.Value];
        var match = status.FirstOrDefault(a => a.Str("value") == usable.Str("value"))
            ?? throw new ConformanceFailure(FailureStage.Status, $"Gateway {ns}/{name}: status.addresses must contain {usable.Str("value")}: {shown}");
        var typed = originalAddresses[(int)check.Long("statusTypeMustEqualTypeOfOriginalIndex")!.Value];
        if (match.Str("type") != typed.Str("type"))
        {
            throw new ConformanceFailure(FailureStage.Status, $"Gateway {ns}/{name}: status address {usable.Str("value")} has type {match.Str("type") ?? "(none)"}, expected {typed.Str("type") ?? "(none)"}");
        }
    }
}
