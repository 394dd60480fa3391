using System.Text.Json.Nodes;
using k8s;
using Weft.Api.Model;
using static Weft.Translation.Tests.UpstreamConformance;

namespace Weft.Translation.Tests;

/// <summary>
/// For every upstream golden case (testdata/conformance/&lt;ShortName&gt;.out.yaml), the status the translator writes
/// for the upstream test's input must pass the status checks that test declares (<c>conditions</c> of
/// expectations.json), with the semantics of FORMAT.md section 4 evaluated on the one translation: a check passes
/// when its final poll would pass. Check kinds not implemented here fail the test rather than being skipped.
/// </summary>
public sealed class UpstreamStatusTests
{
    public static TheoryData<string> Cases() => UpstreamConformance.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void StatusPassesTheUpstreamChecks(string shortName)
    {
        var test = Test(shortName);
        var (snapshot, result) = UpstreamConformance.Translate(shortName);
        var checker = new StatusChecks(snapshot, result);

        var checks = test["conditions"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.NotEmpty(checks);

        // Phases mutate objects (patch/delete) before their checks; no case here has a phase with status checks.
        foreach (var phase in test["phases"]?.AsArray() ?? [])
        {
            Assert.True(phase!["conditions"]!.AsArray().Count == 0,
                $"{shortName}: a phase has status checks; they need the phase's actions applied to the input, which this test does not do");
        }

        var failures = new List<string>();
        foreach (var check in checks)
        {
            failures.AddRange(checker.Check(check).Select(why => $"{Str(check["check"])} {check.ToJsonString()}\n    {why}"));
        }

        Assert.True(failures.Count == 0, $"{shortName}: {failures.Count} of {checks.Count} status checks fail:\n" + string.Join("\n", failures));
    }

    /// <summary>A check kind this file does not implement is an error, never a pass.</summary>
    [Fact]
    public void AnUnknownCheckKindFails()
    {
        var checker = new StatusChecks(ResourceSnapshot.From([]), new TranslationResult());
        Assert.Throws<NotSupportedException>(() => checker.Check(new JsonObject { ["check"] = "NoSuchCheck" }));
    }

    [Fact]
    public void AFailingCheckIsReported()
    {
        var checker = new StatusChecks(ResourceSnapshot.From([]), new TranslationResult());
        var problems = checker.Check(new JsonObject
        {
            ["check"] = "GatewayZeroRoutes",
            ["gateway"] = new JsonObject { ["name"] = "missing", ["namespace"] = "ns" },
        });
        Assert.NotEmpty(problems);
    }
}

/// <summary>The status checks of FORMAT.md section 4 that the upstream golden cases use, on one translation result.</summary>
internal sealed class StatusChecks
{
    private const string GatewayGroup = "gateway.networking.k8s.io";

    private readonly ResourceSnapshot _snapshot;
    private readonly Dictionary<string, JsonObject> _status = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> _generation = new(StringComparer.Ordinal);

    public StatusChecks(ResourceSnapshot snapshot, TranslationResult result)
    {
        _snapshot = snapshot;
        foreach (var update in result.Statuses)
        {
            _status[update.Key.ToString()] = JsonNode.Parse(KubernetesJson.Serialize(update.Status))!.AsObject();
        }

        foreach (var o in snapshot.All())
        {
            _generation[Key(o.Kind, o.Metadata.NamespaceProperty, o.Metadata.Name)] = o.Metadata.Generation;
        }
    }

    /// <summary>The problems found (empty when the check passes). Throws <see cref="NotSupportedException"/> for a check kind not implemented.</summary>
    public IReadOnlyList<string> Check(JsonObject check)
    {
        var problems = new List<string>();
        switch (Str(check["check"]))
        {
            case "NamespacesReady":
                NamespacesReady(check, problems);
                break;
            case "GatewayAndRoutesAccepted":
                GatewayAndRoutesAccepted(check, problems);
                break;
            case "RouteCondition":
                RouteCondition(check, problems);
                break;
            case "RouteParents":
                RouteParents(check, problems);
                break;
            case "RouteNoAcceptedParents":
                RouteNoAcceptedParents(check, problems);
                break;
            case "GatewayZeroRoutes":
                GatewayZeroRoutes(check, problems);
                break;
            case "GatewayStatusListeners":
                GatewayStatusListeners(check, problems);
                break;
            case "BackendTLSPolicyCondition":
                BackendTlsPolicyCondition(check, problems);
                break;
            case var other:
                throw new NotSupportedException($"status check `{other}` is not implemented by {nameof(StatusChecks)}; implement it (FORMAT.md section 4)");
        }

        return problems;
    }

    /// <summary>Every Gateway of the namespaces (not annotated skip-this-for-readiness) is up to date, Accepted and Programmed. Pods are not part of a translation.</summary>
    private void NamespacesReady(JsonObject check, List<string> problems)
    {
        var namespaces = check["namespaces"]!.AsArray().Select(Str).ToHashSet(StringComparer.Ordinal);
        foreach (var gw in _snapshot.Gateways.Where(g => namespaces.Contains(g.Metadata.NamespaceProperty)))
        {
            if (gw.Metadata.Annotations?.TryGetValue("gateway-api/skip-this-for-readiness", out var skip) == true && skip == "true")
            {
                continue;
            }

            var key = Key("Gateway", gw.Metadata.NamespaceProperty, gw.Metadata.Name);
            if (!GatewayUpToDate(key, problems, out var status))
            {
                continue;
            }

            foreach (var type in (string[])["Accepted", "Programmed"])
            {
                if (!HasCondition(status["conditions"], type, "True", null))
                {
                    problems.Add($"{key}: no condition {type}=True");
                }
            }
        }
    }

    /// <summary>Steps 1 (an address with a type), 2 (each route has exactly max(1, listenerNames) parents of this Gateway, Accepted) and 3 (every listener ResolvedRefs, Accepted and Programmed).</summary>
    private void GatewayAndRoutesAccepted(JsonObject check, List<string> problems)
    {
        var (gwNs, gwName) = NamespacedName(check["gateway"]);
        var gwKey = Key("Gateway", gwNs, gwName);
        if (!GatewayUpToDate(gwKey, problems, out var gw))
        {
            return;
        }

        // Step 1: the address is the first entry whose type is set.
        if (!Items(gw["addresses"]).Any(a => !string.IsNullOrEmpty(Str(a["type"]))))
        {
            problems.Add($"{gwKey}: status.addresses has no entry with a type");
        }

        // Step 2.
        var routeKind = Str(check["routeKind"])!;
        var expected = Math.Max(1, check["listenerNames"]!.AsArray().Count);
        foreach (var route in check["routes"]!.AsArray())
        {
            var (ns, name) = NamespacedName(route);
            var routeKey = Key(routeKind, ns, name);
            var parents = Parents(routeKey);
            if (parents.Count != expected)
            {
                problems.Add($"{routeKey}: {parents.Count} status.parents, expected exactly {expected}");
                continue;
            }

            for (var i = 0; i < parents.Count; i++)
            {
                var p = parents[i];
                var why = ParentMismatch(p, ControllerName, GatewayGroup, "Gateway", gwName, gwNs, namespaceRequired: ns != gwNs);
                if (why is null && !HasCondition(p["conditions"], "Accepted", "True", "Accepted"))
                {
                    why = "no condition Accepted=True reason Accepted";
                }

                if (why is not null)
                {
                    problems.Add($"{routeKey}: status.parents[{i}]: {why}");
                }
            }
        }

        // Step 3.
        foreach (var listener in Items(gw["listeners"]))
        {
            foreach (var type in (string[])["ResolvedRefs", "Accepted", "Programmed"])
            {
                if (!HasCondition(listener["conditions"], type, "True", null))
                {
                    problems.Add($"{gwKey}: listener {Str(listener["name"])}: no condition {type}=True");
                }
            }
        }
    }

    /// <summary>All parent conditions up to date, and a parent entry for the parent (namespace absent or equal) has the condition.</summary>
    private void RouteCondition(JsonObject check, List<string> problems)
    {
        var routeKey = Key(Str(check["kind"])!, Str(check["namespace"]), Str(check["name"])!);
        var parents = Parents(routeKey);
        if (!parents.All(p => UpToDate(p["conditions"], routeKey)))
        {
            problems.Add($"{routeKey}: a status.parents condition is not up to date");
            return;
        }

        var (parentNs, parentName) = NamespacedName(check["parent"]);
        var found = parents.Any(p =>
            Str(p["parentRef"]?["name"]) == parentName
            && (p["parentRef"]?["namespace"] is null || Str(p["parentRef"]!["namespace"]) == parentNs)
            && HasCondition(p["conditions"], Str(check["type"])!, Str(check["status"]), Str(check["reason"])));
        if (!found)
        {
            problems.Add($"{routeKey}: no status.parents entry for {parentNs}/{parentName} has the condition; parents: {new JsonArray([.. parents.Select(p => p.DeepClone())]).ToJsonString()}");
        }
    }

    /// <summary>Exactly the expected parents, positionally (sectionName and port not compared).</summary>
    private void RouteParents(JsonObject check, List<string> problems)
    {
        var routeKey = Key(Str(check["kind"])!, Str(check["namespace"]), Str(check["name"])!);
        var parents = Parents(routeKey);
        var expected = check["parents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        if (parents.Count != expected.Count)
        {
            problems.Add($"{routeKey}: {parents.Count} status.parents, expected exactly {expected.Count}");
            return;
        }

        var namespaceRequired = check["namespaceRequired"]?.GetValue<bool>() ?? false;
        var placeholder = Str(Expectations["controllerNamePlaceholder"]) ?? "$CONTROLLER_NAME";
        for (var i = 0; i < parents.Count; i++)
        {
            var e = expected[i];
            var eRef = e["parentRef"]!;
            var controller = Str(e["controllerName"])!.Replace(placeholder, ControllerName, StringComparison.Ordinal);
            var why = ParentMismatch(parents[i], controller, Str(eRef["group"])!, Str(eRef["kind"])!, Str(eRef["name"])!, Str(eRef["namespace"]), namespaceRequired);
            if (why is null && !ConditionsPresent(parents[i]["conditions"], e["conditions"]!.AsArray()))
            {
                why = $"conditions {parents[i]["conditions"]?.ToJsonString()} lack one of {e["conditions"]!.ToJsonString()}";
            }

            if (why is not null)
            {
                problems.Add($"{routeKey}: status.parents[{i}]: {why}");
            }
        }
    }

    /// <summary>No parents, or exactly one with up-to-date conditions including Accepted=False (any reason).</summary>
    private void RouteNoAcceptedParents(JsonObject check, List<string> problems)
    {
        var routeKey = Key(Str(check["kind"])!, Str(check["namespace"]), Str(check["name"])!);
        var parents = Parents(routeKey);
        var ok = parents.Count == 0
            || (parents.Count == 1 && UpToDate(parents[0]["conditions"], routeKey) && HasCondition(parents[0]["conditions"], "Accepted", "False", null));
        if (!ok)
        {
            problems.Add($"{routeKey}: expected no parents or one with Accepted=False, got {new JsonArray([.. parents.Select(p => p.DeepClone())]).ToJsonString()}");
        }
    }

    /// <summary>Gateway conditions up to date; no listeners, or exactly one with attachedRoutes 0.</summary>
    private void GatewayZeroRoutes(JsonObject check, List<string> problems)
    {
        var (ns, name) = NamespacedName(check["gateway"]);
        var key = Key("Gateway", ns, name);
        if (!GatewayUpToDate(key, problems, out var gw))
        {
            return;
        }

        var listeners = Items(gw["listeners"]);
        if (!(listeners.Count == 0 || (listeners.Count == 1 && listeners[0]["attachedRoutes"]?.GetValue<int>() == 0)))
        {
            problems.Add($"{key}: expected no listeners or one with attachedRoutes 0, got {gw["listeners"]?.ToJsonString()}");
        }
    }

    /// <summary>Gateway conditions up to date; the listeners by name with supportedKinds, attachedRoutes and conditions.</summary>
    private void GatewayStatusListeners(JsonObject check, List<string> problems)
    {
        var (ns, name) = NamespacedName(check["gateway"]);
        var key = Key("Gateway", ns, name);
        if (!GatewayUpToDate(key, problems, out var gw))
        {
            return;
        }

        var actual = Items(gw["listeners"]);
        var expected = check["listeners"]!.AsArray().Select(e => e!.AsObject()).ToList();
        if (actual.Count != expected.Count)
        {
            problems.Add($"{key}: {actual.Count} status.listeners, expected {expected.Count}");
        }

        foreach (var e in expected)
        {
            var listenerName = Str(e["name"]);
            var a = actual.FirstOrDefault(l => Str(l["name"]) == listenerName);
            if (a is null)
            {
                problems.Add($"{key}: no status listener named {listenerName}");
                continue;
            }

            var actualKinds = Items(a["supportedKinds"]).Select(GroupKind).ToHashSet();
            var expectedKinds = e["supportedKinds"]!.AsArray().Select(k => GroupKind(k!.AsObject())).ToList();
            if (expectedKinds.Count == 0 ? actualKinds.Count != 0 : !expectedKinds.All(actualKinds.Contains))
            {
                problems.Add($"{key}: listener {listenerName}: supportedKinds {a["supportedKinds"]?.ToJsonString()}, expected {e["supportedKinds"]!.ToJsonString()}");
            }

            var attached = a["attachedRoutes"]?.GetValue<int>();
            if (attached != e["attachedRoutes"]!.GetValue<int>())
            {
                problems.Add($"{key}: listener {listenerName}: attachedRoutes {attached}, expected {e["attachedRoutes"]}");
            }

            var expectedConditions = e["conditions"]!.AsArray();
            if (Items(a["conditions"]).Count < expectedConditions.Count || !ConditionsPresent(a["conditions"], expectedConditions))
            {
                problems.Add($"{key}: listener {listenerName}: conditions {a["conditions"]?.ToJsonString()} lack one of {expectedConditions.ToJsonString()}");
            }
        }
    }

    /// <summary>Why a route parent status entry differs from the expected parent, or null (sectionName and port are not compared).</summary>
    private static string? ParentMismatch(JsonObject parent, string controller, string group, string kind, string name, string? ns, bool namespaceRequired)
    {
        var parentRef = parent["parentRef"];
        var actualNs = Str(parentRef?["namespace"]);
        return Str(parent["controllerName"]) != controller ? $"controllerName {Str(parent["controllerName"])}, expected {controller}"
            : Str(parentRef?["group"]) != group ? $"parentRef.group {Str(parentRef?["group"])}, expected {group}"
            : Str(parentRef?["kind"]) != kind ? $"parentRef.kind {Str(parentRef?["kind"])}, expected {kind}"
            : Str(parentRef?["name"]) != name ? $"parentRef.name {Str(parentRef?["name"])}, expected {name}"
            : (namespaceRequired || actualNs is not null) && actualNs != ns ? $"parentRef.namespace {actualNs ?? "(absent)"}, expected {ns}"
            : null;
    }

    private bool GatewayUpToDate(string key, List<string> problems, out JsonObject status)
    {
        if (!_status.TryGetValue(key, out status!))
        {
            problems.Add($"{key}: no status written");
            return false;
        }

        if (!UpToDate(status["conditions"], key))
        {
            problems.Add($"{key}: a condition is not up to date");
            return false;
        }

        return true;
    }

    /// <summary>status.parents of a route; empty when no status is written for it.</summary>
    /// <summary>An up-to-date status.ancestors entry for the Gateway named as parent (namespace compared when set) has the condition.</summary>
    private void BackendTlsPolicyCondition(JsonObject check, List<string> problems)
    {
        var key = Key("BackendTLSPolicy", Str(check["namespace"]), Str(check["name"])!);
        var ancestors = _status.TryGetValue(key, out var s) ? Items(s["ancestors"]) : [];
        if (!ancestors.All(a => UpToDate(a["conditions"], key)))
        {
            problems.Add($"{key}: a status.ancestors condition is not up to date");
            return;
        }

        var (parentNs, parentName) = NamespacedName(check["parent"]);
        var found = ancestors.Any(a =>
            Str(a["ancestorRef"]?["name"]) == parentName
            && (a["ancestorRef"]?["namespace"] is null || Str(a["ancestorRef"]!["namespace"]) == parentNs)
            && HasCondition(a["conditions"], Str(check["type"])!, Str(check["status"]), Str(check["reason"])));
        if (!found)
        {
            problems.Add($"{key}: no status.ancestors entry for {parentNs}/{parentName} has the condition; ancestors: {new JsonArray([.. ancestors.Select(a => a.DeepClone())]).ToJsonString()}");
        }
    }

    private List<JsonObject> Parents(string routeKey) =>
        _status.TryGetValue(routeKey, out var s) ? Items(s["parents"]) : [];

    /// <summary>Every condition's observedGeneration equals the object's metadata.generation.</summary>
    private bool UpToDate(JsonNode? conditions, string key)
    {
        _generation.TryGetValue(key, out var generation);
        return Items(conditions).All(c => (c["observedGeneration"] is { } g ? g.GetValue<long>() : (long?)null) == generation);
    }

    private static bool HasCondition(JsonNode? conditions, string type, string? status, string? reason) =>
        Items(conditions).Any(c => Str(c["type"]) == type
            && (status is null || Str(c["status"]) == status)
            && (reason is null || Str(c["reason"]) == reason));

    private static bool ConditionsPresent(JsonNode? actual, JsonArray expected) =>
        expected.All(e => HasCondition(actual, Str(e!["type"])!, Str(e["status"]), Str(e["reason"])));

    /// <summary>{group, kind}; a missing or empty group counts as gateway.networking.k8s.io.</summary>
    private static (string Group, string? Kind) GroupKind(JsonObject k) =>
        (Str(k["group"]) is { Length: > 0 } g ? g : GatewayGroup, Str(k["kind"]));

    private static (string? Namespace, string Name) NamespacedName(JsonNode? node) =>
        (Str(node?["namespace"]), Str(node?["name"]) ?? throw new InvalidOperationException("a check names no object: " + node?.ToJsonString()));

    private static List<JsonObject> Items(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x!.AsObject())] : [];

    private static string Key(string kind, string? ns, string name) =>
        string.IsNullOrEmpty(ns) ? $"{kind}/{name}" : $"{kind}/{ns}/{name}";
}
