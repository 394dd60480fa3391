using Weft.Api.Model;
using Weft.Api.Yaml;

namespace Weft.Translation.Tests;

/// <summary>
/// The control plane reuses an HTTPRoute's compilation while the route object and the backend
/// world (Services, ServiceEntries, ReferenceGrants) are the same instances; anything else must
/// give exactly what a translation from scratch gives.
/// </summary>
public sealed class TranslationCacheTests
{
    private const string Base = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: weft
          listeners:
          - {name: http, protocol: HTTP, port: 80}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: svc, namespace: default}
        spec:
          ports:
          - port: 80
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: a, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [a.example.com]
          rules:
          - retry: {attempts: 2}
            backendRefs: [{name: svc, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: b, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [b.example.com]
          rules:
          - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]
            backendRefs: [{name: svc, port: 80}]
        """;

    private const string GatewayClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: weft}
        spec: {controllerName: weft.dev/gateway-controller}
        """;

    private static List<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Decode(string yaml)
    {
        var decoded = YamlCodec.Decode(yaml, "test.yaml");
        Assert.False(decoded.HasErrors, string.Join("\n", decoded.Diagnostics));
        return [.. decoded.Resources.Select(r => r.Object)];
    }

    private static string Fresh(IEnumerable<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> objects) =>
        GoldenTests.Render(Translator.Translate(ResourceSnapshot.From(objects), GoldenTests.Options));

    private static string Cached(TranslationCache cache, IEnumerable<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> objects) =>
        GoldenTests.Render(Translator.Translate(ResourceSnapshot.From(objects), GoldenTests.Options with { Cache = cache }));

    [Fact]
    public void A_new_route_is_the_only_one_compiled_and_the_result_is_the_same_as_from_scratch()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        Cached(cache, objects);
        Assert.Equal((0, 2), cache.LastRouteCounts);

        objects.AddRange(Decode(RouteC));
        var cached = Cached(cache, objects);
        Assert.Equal((2, 1), cache.LastRouteCounts);
        Assert.Equal(Fresh(objects), cached);

        // The reused route's diagnostic (retry is not applied) is still reported.
        Assert.Contains("retries are not applied", cached, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_service_compiles_every_route_again()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        var before = Cached(cache, objects);

        // The Service loses port 80: every route's backend is now unresolved.
        var index = objects.FindIndex(o => o is k8s.Models.V1Service);
        objects[index] = Decode("""
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: default}
            spec:
              ports:
              - port: 81
            """).Single();
        var after = Cached(cache, objects);
        Assert.Equal((0, 2), cache.LastRouteCounts);
        Assert.Equal(Fresh(objects), after);
        Assert.NotEqual(before, after);
        Assert.Contains("BackendNotFound", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_replaced_by_a_new_object_is_compiled_again()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        Cached(cache, objects);

        var index = objects.FindIndex(o => o.Metadata.Name == "b");
        objects[index] = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: b, namespace: default}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [b.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /only}}]
                backendRefs: [{name: svc, port: 80}]
            """).Single();
        var after = Cached(cache, objects);
        Assert.Equal((1, 1), cache.LastRouteCounts);
        Assert.Equal(Fresh(objects), after);
        Assert.Contains("/only", after, StringComparison.Ordinal);
    }

    private static TranslationResult Translate(TranslationCache cache, IEnumerable<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> objects) =>
        Translator.Translate(ResourceSnapshot.From(objects), GoldenTests.Options with { Cache = cache });

    private static Weft.Ir.VirtualHostIr Host(TranslationResult result, string hostname) =>
        result.Gateways["default/gw"].Ports.Single().Listeners.Single().VirtualHosts.Single(h => h.Hostname == hostname);

    private static StatusUpdate StatusOf(TranslationResult result, string route) =>
        result.Statuses.Single(s => s.Key.Kind == "HTTPRoute" && s.Key.Name == route);

    [Fact]
    public void Untouched_virtual_hosts_and_route_statuses_are_the_same_instances_and_touched_ones_are_rebuilt()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        var first = Translate(cache, objects);

        objects.AddRange(Decode(RouteC));
        var second = Translate(cache, objects);

        // b.example.com has the same routes: its IR is the very same object (downstream skips it by reference).
        Assert.Same(Host(first, "b.example.com"), Host(second, "b.example.com"));
        Assert.Same(StatusOf(first, "b"), StatusOf(second, "b"));
        Assert.Same(StatusOf(first, "a"), StatusOf(second, "a"));

        // a.example.com gained route c, ranked first (Exact before PathPrefix): rebuilt and sorted.
        var a = Host(second, "a.example.com");
        Assert.NotSame(Host(first, "a.example.com"), a);
        Assert.Equal(["c", "a"], a.Routes.Select(r => r.RouteName));
        Assert.Equal(Fresh(objects), GoldenTests.Render(Translate(cache, objects)));
    }

    [Fact]
    public void A_gateway_change_rewrites_the_status_of_routes_whose_objects_did_not_change()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        var first = Translate(cache, objects);
        Assert.Contains("the route is accepted", GoldenTests.Render(first), StringComparison.Ordinal);

        // The listener now serves only b.example.com: route a no longer attaches anywhere.
        var index = objects.FindIndex(o => o is Weft.Api.GatewayApi.Gateway);
        objects[index] = Decode(NarrowedGateway).Single();
        var second = Translate(cache, objects);
        Assert.NotSame(StatusOf(first, "a"), StatusOf(second, "a"));
        Assert.Contains("NoMatchingListenerHostname", GoldenTests.Render(second), StringComparison.Ordinal);
        Assert.Equal(Fresh(objects), GoldenTests.Render(second));
        Assert.DoesNotContain(second.Gateways["default/gw"].Ports.Single().Listeners.Single().VirtualHosts, h => h.Hostname == "a.example.com");
    }

    // Snapshots as the control plane's store makes them: each an edit of the last, so a kind no
    // change touched keeps its list instance (what attachment reuse keys on).
    private static (ResourceSnapshot Snapshot, List<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Objects) Edited(
        ResourceSnapshot previous, List<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> objects,
        IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> added, IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> removed)
    {
        var next = objects.Where(o => !removed.Contains(o)).Concat(added).ToList();
        return (previous.Edit(previous.Version + 1, added, removed), next);
    }

    // The listener serves only b.example.com: routes for a.example.com no longer attach.
    private const string NarrowedGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: weft
          listeners:
          - {name: http, protocol: HTTP, port: 80, hostname: b.example.com}
        """;

    private const string RouteC = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: c, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [a.example.com]
          rules:
          - matches: [{path: {type: Exact, value: /c}}]
            backendRefs: [{name: svc, port: 80}]
        """;

    [Fact]
    public void A_new_route_is_the_only_one_attached_afresh_and_the_result_is_the_same_as_from_scratch()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        var snapshot = ResourceSnapshot.From(objects);
        Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });
        Assert.Equal((0, 2), cache.LastAttachmentCounts);

        (snapshot, objects) = Edited(snapshot, objects, Decode(RouteC), []);
        var result = Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });
        Assert.Equal((2, 1), cache.LastAttachmentCounts);
        Assert.Equal(Fresh(objects), GoldenTests.Render(result));
    }

    [Fact]
    public void A_changed_gateway_attaches_every_route_afresh()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base + "\n---\n" + RouteC);
        var snapshot = ResourceSnapshot.From(objects);
        Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });

        // The listener now serves only b.example.com: routes a and c no longer attach.
        var gateway = objects.Single(o => o is Weft.Api.GatewayApi.Gateway);
        var narrowed = Decode(NarrowedGateway);
        (snapshot, objects) = Edited(snapshot, objects, narrowed, [gateway]);
        var result = Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });
        Assert.Equal((0, 3), cache.LastAttachmentCounts);
        var rendered = GoldenTests.Render(result);
        Assert.Equal(Fresh(objects), rendered);
        Assert.Contains("NoMatchingListenerHostname", rendered, StringComparison.Ordinal);

        // And back: the routes attach again, to the same result as a translation from scratch.
        (snapshot, objects) = Edited(snapshot, objects, [gateway], narrowed);
        Assert.Equal(Fresh(objects), GoldenTests.Render(Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache })));
        Assert.Equal((0, 3), cache.LastAttachmentCounts);
    }

    [Fact]
    public void A_replaced_route_is_attached_afresh()
    {
        var cache = new TranslationCache();
        var objects = Decode(GatewayClass + "\n---\n" + Base);
        var snapshot = ResourceSnapshot.From(objects);
        Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });

        // Route b now names a host the listener serves too, and a second parent that does not exist.
        var b = objects.Single(o => o.Metadata.Name == "b");
        var replaced = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: b, namespace: default}
            spec:
              parentRefs: [{name: gw}, {name: missing}]
              hostnames: [a.example.com]
              rules:
              - backendRefs: [{name: svc, port: 80}]
            """);
        (snapshot, objects) = Edited(snapshot, objects, replaced, [b]);
        var result = Translator.Translate(snapshot, GoldenTests.Options with { Cache = cache });
        Assert.Equal((1, 1), cache.LastAttachmentCounts);
        var rendered = GoldenTests.Render(result);
        Assert.Equal(Fresh(objects), rendered);
        Assert.Contains("Gateway default/missing not found", rendered, StringComparison.Ordinal);
    }
}
