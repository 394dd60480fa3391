using System.Text;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.Ir;
using Weft.Translation;

namespace Weft.Benchmarks;

/// <summary>
/// The benchmark configuration, the same shape bench/lib/gen-config.py writes for the load tests:
/// Gateway bench/bench-gw (HTTP, port 80, no hostname), 10 Services on one WorkloadEntry, and N
/// HTTPRoutes — N-5 over hostnames hK.bench.example.com (5 per host, 2–3 rules each with path,
/// method, header and regex matches) and 5 without hostname, the last of which (PathPrefix /)
/// is what a request to an IP address matches after every other rule of its virtual host fails.
/// Built as YAML text and decoded with the strict codec, so defaults are filled in exactly as
/// they are for files.
/// </summary>
internal static class Corpus
{
    public static readonly TranslatorOptions Options = new()
    {
        // Port 80 binds port 0: GatewayProxy benchmarks get a free port from the OS.
        PortOffset = -80,
        GatewayAddresses = new Dictionary<string, string> { ["bench/bench-gw"] = "127.0.0.1" },
    };

    /// <summary>Hostnames used for <paramref name="routes"/> routes: 5 routes per host, at least 19.</summary>
    public static int NamedHosts(int routes) => Math.Max(19, (routes - 5) / 5);

    public static ResourceSnapshot Snapshot(int routes)
    {
        var text = Yaml(routes);
        var decoded = YamlCodec.Decode(text, $"corpus-{routes}.yaml");
        if (decoded.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException("corpus does not decode: " + string.Join("; ", decoded.Diagnostics));
        }

        var builtIn = new Weft.Api.GatewayApi.GatewayClass
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "weft" },
            Spec = new Weft.Api.GatewayApi.GatewayClassSpec { ControllerName = "weft.dev/gateway-controller" },
        };
        return ResourceSnapshot.From(decoded.Resources.Select(r => r.Object).Append(builtIn));
    }

    public static GatewaySnapshotIr Ir(int routes)
    {
        var result = Translator.Translate(Snapshot(routes), Options);
        return result.Gateways.TryGetValue("bench/bench-gw", out var ir)
            ? ir
            : throw new InvalidOperationException("bench/bench-gw was not translated: " + string.Join("; ", result.Diagnostics));
    }

    public static string Yaml(int routes)
    {
        var sb = new StringBuilder();
        sb.Append("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: bench
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: bench-gw
              namespace: bench
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                protocol: HTTP
                port: 80

            """);
        for (var s = 0; s < 10; s++)
        {
            sb.Append($"""
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: svc-{s}
                  namespace: bench
                spec:
                  selector:
                    app: bench-backend
                  ports:
                  - name: http
                    port: 80
                    targetPort: http

                """);
        }

        sb.Append("""
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: bench-backend
              namespace: bench
            spec:
              address: 127.0.0.1
              labels:
                app: bench-backend
              ports:
                http: 18080

            """);

        var named = Math.Max(0, routes - 5);
        var hosts = NamedHosts(routes);
        for (var i = 0; i < named; i++)
        {
            var svc = $"svc-{i % 10}";
            sb.Append($"""
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: r{i:D5}
                  namespace: bench
                spec:
                  parentRefs:
                  - name: bench-gw
                  hostnames:
                  - h{i % hosts}.bench.example.com
                  rules:
                  - matches:
                    - path: {"{"}type: PathPrefix, value: /api/v{i}{"}"}
                      headers:
                      - {"{"}name: x-tenant, value: tenant-{i}{"}"}
                    backendRefs:
                    - {"{"}name: {svc}, port: 80{"}"}
                  - matches:
                    - path: {"{"}type: Exact, value: /status/{i}{"}"}
                    - path: {"{"}type: PathPrefix, value: /r{i}{"}"}
                      method: GET
                    backendRefs:
                    - {"{"}name: {svc}, port: 80{"}"}

                """);
            if (i % 10 == 0)
            {
                sb.Append($"""
                      - matches:
                        - path: {"{"}type: RegularExpression, value: "/items/[0-9]+/r{i}"{"}"}
                        backendRefs:
                        - {"{"}name: {svc}, port: 80{"}"}

                    """);
            }
        }

        if (routes >= 5)
        {
            sb.Append("""
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: za-canary, namespace: bench}
                spec:
                  parentRefs: [{name: bench-gw}]
                  rules:
                  - matches:
                    - path: {type: PathPrefix, value: /}
                      headers: [{name: x-canary, value: "true"}]
                    backendRefs: [{name: svc-1, port: 80}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: zb-variant, namespace: bench}
                spec:
                  parentRefs: [{name: bench-gw}]
                  rules:
                  - matches:
                    - path: {type: PathPrefix, value: /}
                      headers: [{name: x-variant, value: b}]
                    - path: {type: PathPrefix, value: /}
                      headers: [{name: x-variant, value: c}]
                    backendRefs: [{name: svc-2, port: 80}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: zc-static, namespace: bench}
                spec:
                  parentRefs: [{name: bench-gw}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /static}}]
                    backendRefs: [{name: svc-3, port: 80}]
                  - matches: [{path: {type: Exact, value: /favicon.ico}}]
                    backendRefs: [{name: svc-3, port: 80}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: zd-api, namespace: bench}
                spec:
                  parentRefs: [{name: bench-gw}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
                    backendRefs: [{name: svc-4, port: 80}]
                  - matches:
                    - path: {type: PathPrefix, value: /}
                      headers: [{name: x-user-type, value: premium}]
                    backendRefs: [{name: svc-4, port: 80}]

                """);
        }

        sb.Append("""
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: zz-default, namespace: bench}
            spec:
              parentRefs: [{name: bench-gw}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /}}]
                backendRefs: [{name: svc-0, port: 80}]

            """);
        return sb.ToString();
    }
}
