using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Api.Yaml;
using static Weft.Api.Tests.TestYaml;

namespace Weft.Api.Tests;

public class RoundTripTests
{
    /// <summary>One rich example of every kind Weft reads.</summary>
    public static TheoryData<string, string> Samples() => new()
    {
        {
            "GatewayClass", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata:
              name: weft
            spec:
              controllerName: weft.dev/gateway-controller
              description: the Weft gateway
              parametersRef: {group: weft.dev, kind: Config, name: default, namespace: weft-system}
            """
        },
        {
            "Gateway", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: infra
              labels: {app.kubernetes.io/name: gw}
              annotations: {note: "80"}
            spec:
              gatewayClassName: weft
              addresses:
              - {type: IPAddress, value: 10.0.0.1}
              infrastructure:
                labels: {team: edge}
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels: {shared: "true"}
                      matchExpressions:
                      - {key: env, operator: In, values: [prod, "yes"]}
                  kinds:
                  - {group: gateway.networking.k8s.io, kind: HTTPRoute}
              - name: https
                hostname: "*.example.com"
                port: 443
                protocol: HTTPS
                tls:
                  mode: Terminate
                  certificateRefs:
                  - {kind: Secret, name: cert, namespace: certs}
                  options: {example.com/cipher: modern}
            """
        },
        {
            "GRPCRoute", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata:
              name: echo
              namespace: apps
            spec:
              parentRefs:
              - {name: gw, namespace: infra, sectionName: http}
              hostnames: [grpc.example.com]
              rules:
              - name: echo
                matches:
                - method: {service: pkg.Echo, method: Call}
                  headers:
                  - {name: version, value: two}
                - method: {type: RegularExpression, service: "pkg\\..*"}
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-a, value: "1"}]
                backendRefs:
                - name: echo-v1
                  port: 8080
                  weight: 90
                  filters:
                  - type: ResponseHeaderModifier
                    responseHeaderModifier:
                      remove: [x-b]
            """
        },
        {
            "HTTPRoute", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web
              namespace: apps
            spec:
              parentRefs:
              - {name: gw, namespace: infra, sectionName: https, port: 443}
              hostnames: [web.example.com, "*.web.example.com"]
              rules:
              - name: api
                matches:
                - path: {type: PathPrefix, value: /api}
                  headers:
                  - {name: x-user, value: premium}
                  - {type: RegularExpression, name: x-id, value: "[0-9]+"}
                  queryParams:
                  - {name: debug, value: "true"}
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-a, value: "1"}]
                    add: [{name: x-b, value: "null"}]
                    remove: [x-c]
                - type: URLRewrite
                  urlRewrite:
                    hostname: internal.example.com
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
                - type: RequestMirror
                  requestMirror:
                    backendRef: {name: shadow, port: 8080}
                    fraction: {numerator: 1, denominator: 10}
                backendRefs:
                - name: web-v1
                  port: 8080
                  weight: 90
                - name: web-v2
                  port: 8080
                  weight: 10
                  filters:
                  - type: ResponseHeaderModifier
                    responseHeaderModifier:
                      set: [{name: x-version, value: v2}]
                timeouts: {request: 10s, backendRequest: 2s}
              - matches:
                - path: {type: Exact, value: /old}
                filters:
                - type: RequestRedirect
                  requestRedirect: {scheme: https, hostname: new.example.com, port: 443, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /new}}
            """
        },
        {
            "ReferenceGrant", """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata:
              name: allow-routes
              namespace: backends
            spec:
              from:
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps}
              to:
              - {group: "", kind: Service}
              - {group: "", kind: Secret, name: cert}
            """
        },
        {
            "Namespace", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: apps
              labels: {istio-injection: enabled}
            """
        },
        {
            "Service", """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: apps
            spec:
              type: ClusterIP
              clusterIP: 10.96.0.10
              selector: {app: web}
              ports:
              - {name: http, port: 80, targetPort: 8080, protocol: TCP, appProtocol: http}
              - {name: grpc, port: 9000, targetPort: grpc}
            """
        },
        {
            "Secret", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: cert
              namespace: certs
            type: kubernetes.io/tls
            data:
              tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
              tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==
            """
        },
        {
            "EndpointSlice", """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              namespace: apps
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.1.0.1]
              conditions: {ready: true, serving: true, terminating: false}
              nodeName: node-a
              zone: z1
            ports:
            - {name: http, port: 8080, protocol: TCP}
            """
        },
        {
            "WorkloadEntry", """
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: vm-1
              namespace: apps
            spec:
              address: 192.168.1.10
              ports: {http: 8080}
              labels: {app: web, version: v3}
              network: vm-net
              locality: eu/west/a
              weight: 2
              serviceAccount: web
            """
        },
        {
            "ServiceEntry", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: external-api
              namespace: apps
            spec:
              hosts: [api.example.com]
              addresses: [240.0.0.1]
              ports:
              - {number: 443, name: https, protocol: TLS, targetPort: 8443}
              location: MESH_EXTERNAL
              resolution: STATIC
              endpoints:
              - {address: 1.2.3.4, ports: {https: 443}}
              exportTo: ["."]
            """
        },
        {
            "VirtualService", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: apps
            spec:
              hosts: [reviews]
              http:
              - name: jason
                match:
                - headers:
                    end-user: {exact: jason}
                  uri: {prefix: /reviews}
                route:
                - destination: {host: reviews, subset: v2, port: {number: 9080}}
                  weight: 100
                timeout: 2.5s
                retries: {attempts: 3, perTryTimeout: 2s}
              - route:
                - destination: {host: reviews, subset: v1}
            """
        },
        {
            "DestinationRule", """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: apps
            spec:
              host: reviews
              trafficPolicy:
                tls: {mode: ISTIO_MUTUAL}
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """
        },
        {
            "BackendTLSPolicy", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata:
              name: backend-tls
              namespace: apps
            spec:
              targetRefs:
              - {group: "", kind: Service, name: backend, sectionName: https}
              validation:
                caCertificateRefs:
                - {group: "", kind: ConfigMap, name: backend-ca}
                hostname: backend.example.com
                subjectAltNames:
                - {type: Hostname, hostname: backend.example.com}
                - {type: URI, uri: "spiffe://example.com/backend"}
            """
        },
        {
            "ConfigMap", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: backend-ca
              namespace: apps
            data:
              ca.crt: "-----BEGIN CERTIFICATE-----"
            """
        },
    };

    [Fact]
    public void Every_kind_has_a_sample()
    {
        var sampled = ((IEnumerable<object[]>)Samples()).Select(s => (string)s[0]).ToHashSet();
        Assert.All(ResourceKinds.All, k => Assert.Contains(k.Kind, sampled));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Decode_ToYaml_Decode_gives_an_equal_resource(string kind, string yaml)
    {
        var first = Decode(yaml);
        Assert.True(first.Diagnostics.Count == 0, string.Join("\n", first.Diagnostics));
        var decoded = Assert.Single(first.Resources);
        Assert.Equal(kind, decoded.Kind.Kind);

        var text = YamlCodec.ToYaml(decoded.Object);
        var second = YamlCodec.Decode(text, "roundtrip.yaml");
        Assert.True(second.Diagnostics.Count == 0, text + "\n" + string.Join("\n", second.Diagnostics));
        var again = Assert.Single(second.Resources).Object;

        Assert.Equal(YamlCodec.ToJson(decoded.Object), YamlCodec.ToJson(again));
        Assert.Equal(text, YamlCodec.ToYaml(again)); // canonical: a fixed point
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void ToJson_FromJson_gives_an_equal_resource(string kind, string yaml)
    {
        var decoded = Assert.Single(Decode(yaml).Resources);
        var json = YamlCodec.ToJson(decoded.Object, indented: false);
        var back = FromJsonAs(decoded.Kind.ClrType, json);
        Assert.Equal(kind, back.Kind);
        Assert.Equal(json, YamlCodec.ToJson(back, indented: false));
    }

    [Fact]
    public void A_decoded_gateway_survives_ToYaml_as_an_equal_gateway()
    {
        var gw = One<Gateway>((string)((IEnumerable<object[]>)Samples()).Single(s => (string)s[0] == "Gateway")[1]);
        var back = One<Gateway>(YamlCodec.ToYaml(gw));
        Assert.Equal(gw.Metadata.Name, back.Metadata.Name);
        Assert.Equal(gw.Spec.GatewayClassName, back.Spec.GatewayClassName);
        Assert.Equal(gw.Spec.Listeners.Count, back.Spec.Listeners.Count);
        for (var i = 0; i < gw.Spec.Listeners.Count; i++)
        {
            Assert.Equal(gw.Spec.Listeners[i] with { Tls = null, AllowedRoutes = null }, back.Spec.Listeners[i] with { Tls = null, AllowedRoutes = null });
        }

        Assert.Equal("80", back.Metadata.Annotations["note"]);
        Assert.Equal(["prod", "yes"], back.Spec.Listeners[0].AllowedRoutes!.Namespaces!.Selector!.MatchExpressions[0].Values);
        Assert.Equal("*.example.com", back.Spec.Listeners[1].Hostname);
    }

    [Fact]
    public void ToYaml_is_canonical_camelCase_in_declaration_order_without_nulls()
    {
        var gw = new Gateway
        {
            Metadata = new V1ObjectMeta { Name = "gw", NamespaceProperty = "infra", Labels = new Dictionary<string, string> { ["version"] = "1.0" } },
            Spec = new GatewaySpec
            {
                GatewayClassName = "weft",
                Listeners =
                [
                    new Listener { Name = "http", Port = 80, Protocol = "HTTP", Hostname = "true" },
                ],
            },
        };
        var expected = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              labels:
                version: "1.0"
              name: gw
              namespace: infra
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                hostname: "true"
                port: 80
                protocol: HTTP

            """;
        Assert.Equal(expected, YamlCodec.ToYaml(gw));
    }

    [Fact]
    public void ToYaml_of_a_list_is_a_multi_document_stream()
    {
        var ns = new[]
        {
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "a" } },
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "b" } },
        };
        var text = YamlCodec.ToYaml(ns);
        Assert.Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n", text.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(["Namespace/a", "Namespace/b"], Decode(text).Resources.Select(r => r.DisplayName));
    }

    [Fact]
    public void ToYaml_quotes_strings_that_would_read_back_as_other_types_and_keeps_multiline_text()
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "s" },
            StringData = new Dictionary<string, string>
            {
                ["a"] = "yes", ["b"] = "0x1F", ["c"] = "", ["d"] = "~", ["e"] = "1e3", ["f"] = "line1\nline2\n", ["g"] = "- x", ["h"] = "a: b", ["i"] = "2024-01-01",
            },
        };
        var text = YamlCodec.ToYaml(secret);
        var back = One<V1Secret>(text);
        Assert.Equal(secret.StringData, back.StringData);
        Assert.Contains("f: |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_uses_camelCase_and_omits_nulls()
    {
        var filter = new HttpRouteFilter { Type = "URLRewrite", UrlRewrite = new HttpUrlRewriteFilter { Hostname = "h" } };
        Assert.Equal("""{"type":"URLRewrite","urlRewrite":{"hostname":"h"}}""", YamlCodec.ToJson(filter, indented: false));
        Assert.Equal(filter, YamlCodec.FromJson<HttpRouteFilter>(YamlCodec.ToJson(filter)));
    }

    private static IKubernetesObject<V1ObjectMeta> FromJsonAs(Type type, string json)
    {
        var method = typeof(YamlCodec).GetMethod(nameof(YamlCodec.FromJson))!.MakeGenericMethod(type);
        return (IKubernetesObject<V1ObjectMeta>)method.Invoke(null, [json])!;
    }
}

public class CanonicalOutputTests
{
    [Fact]
    public void A_JsonObject_is_one_document_and_is_not_changed()
    {
        var node = new System.Text.Json.Nodes.JsonObject { ["kind"] = "List", ["items"] = new System.Text.Json.Nodes.JsonArray(), ["gone"] = null };
        Assert.Equal("kind: List\nitems: []\n", YamlCodec.ToYaml(node));
        Assert.True(node.ContainsKey("gone"));
    }

    [Fact]
    public void A_dictionary_is_one_document()
    {
        var doc = new Dictionary<string, object> { ["b"] = 1, ["a"] = new[] { "x" } };
        Assert.Equal("b: 1\na:\n- x\n", YamlCodec.ToYaml(doc));
    }

    [Fact]
    public void A_list_of_interface_typed_resources_keeps_each_items_spec()
    {
        List<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> list =
        [
            new Weft.Api.GatewayApi.GatewayClass { Metadata = new() { Name = "weft" }, Spec = new() { ControllerName = "weft.dev/gateway" } },
        ];
        Assert.Contains("\"controllerName\": \"weft.dev/gateway\"", YamlCodec.ToJson(list), StringComparison.Ordinal);
        Assert.Contains("controllerName: weft.dev/gateway", YamlCodec.ToYaml(list), StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_serialize_with_readable_severity()
    {
        var d = new Weft.Api.Model.Diagnostic { Code = "WEFT0003", Severity = Weft.Api.Model.DiagnosticSeverity.Error, Message = "m", Location = new("f.yaml", 1, 2), Field = "spec.x" };
        Assert.Equal("""{"code":"WEFT0003","severity":"Error","message":"m","location":{"file":"f.yaml","line":1,"column":2},"field":"spec.x"}""", YamlCodec.ToJson(d, indented: false));
        Assert.Equal(d, YamlCodec.FromJson<Weft.Api.Model.Diagnostic>(YamlCodec.ToJson(d)));
    }
}
