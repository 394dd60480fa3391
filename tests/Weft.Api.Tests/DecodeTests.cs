using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;
using Weft.Api.Model;
using Weft.Api.Yaml;
using static Weft.Api.Tests.TestYaml;

namespace Weft.Api.Tests;

public class DecodeTests
{
    private const string GoodGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: infra
        spec:
          gatewayClassName: weft
          listeners:
          - name: http
            port: 80
            protocol: HTTP
        """;

    [Fact]
    public void Decodes_a_gateway_with_its_location()
    {
        var result = Decode("# leading comment\n" + GoodGateway);
        Assert.False(result.HasErrors);
        var decoded = Assert.Single(result.Resources);
        Assert.Same(ResourceKinds.Gateway, decoded.Kind);
        Assert.Equal(new SourceLocation(FileName, 2, 1), decoded.Location);
        Assert.Equal("Gateway/infra/gw", decoded.DisplayName);
        var gw = Assert.IsType<Gateway>(decoded.Object);
        Assert.Equal("weft", gw.Spec.GatewayClassName);
        Assert.Equal(new Listener { Name = "http", Port = 80, Protocol = "HTTP" }, Assert.Single(gw.Spec.Listeners));
    }

    [Fact]
    public void Malformed_yaml_reports_the_parsers_line_and_column_and_the_other_documents_still_decode()
    {
        var text = GoodGateway + """

            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r: x
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: infra
            """;
        var result = Decode(text);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("WEFT0001", d.Code);
        Assert.Equal(new SourceLocation(FileName, 16, 10), d.Location); // the second ':' on "  name: r: x"
        Assert.Equal(["Gateway/infra/gw", "Namespace/infra"], result.Resources.Select(r => r.DisplayName));
    }

    [Fact]
    public void Malformed_yaml_in_the_middle_of_a_document_points_at_the_bad_line()
    {
        var d = Single("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: "unterminated
            """);
        Assert.Equal("WEFT0001", d.Code);
        Assert.Equal(FileName, d.Location!.File);
        Assert.True(d.Location.Line >= 4, d.ToString());
    }

    [Fact]
    public void Bad_indentation_is_malformed_yaml()
    {
        var d = Single("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
             labels: {}
            """);
        Assert.Equal("WEFT0001", d.Code);
        Assert.Equal(5, d.Location!.Line);
    }

    [Fact]
    public void Unknown_kind_is_reported_with_the_known_kinds()
    {
        var d = Single("""
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: echo
              namespace: infra
            spec:
              replicas: 1
            """);
        Assert.Equal("WEFT0002", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(new SourceLocation(FileName, 2, 7), d.Location);
        Assert.Equal("Widget/infra/echo", d.Resource);
        Assert.Contains("example.com/v1 Widget is not a kind Weft reads", d.Message, StringComparison.Ordinal);
        Assert.Contains("HTTPRoute", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_kind_is_skipped_with_an_info_not_an_error()
    {
        var result = YamlCodec.Decode("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: echo
              namespace: infra
            spec:
              replicas: 1
            """, FileName);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("WEFT0010", d.Code);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal(new SourceLocation(FileName, 2, 7), d.Location);
        Assert.False(result.HasErrors);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void A_route_kind_not_served_yet_is_a_warning_never_silent()
    {
        var result = YamlCodec.Decode("""
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TLSRoute
            metadata:
              name: tls
            """, FileName);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("WEFT0011", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("TLSRoute is not read by Weft", d.Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void A_grpc_route_decodes_with_method_and_header_matches()
    {
        var result = YamlCodec.Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata:
              name: grpc
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches:
                - method: {service: pkg.Echo, method: Call}
                  headers: [{name: version, value: two}]
                backendRefs: [{name: echo, port: 8080, weight: 3}]
            """, FileName);
        Assert.Empty(result.Diagnostics);
        var route = Assert.IsType<GrpcRoute>(Assert.Single(result.Resources).Object);
        Assert.Equal("pkg.Echo", route.Spec.Rules![0].Matches![0].Method!.Service);
        Assert.Equal(3, route.Spec.Rules[0].BackendRefs![0].Weight);
    }

    [Fact]
    public void A_grpc_route_refuses_http_only_filters_and_an_empty_method_match()
    {
        var result = YamlCodec.Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata:
              name: grpc
            spec:
              rules:
              - matches:
                - method: {type: Exact}
                filters:
                - type: URLRewrite
            """, FileName);
        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("One or both of 'service' or 'method' must be specified", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("not valid for a GRPCRoute", StringComparison.Ordinal));
    }

    [Fact]
    public void Misspelt_kind_suggests_the_close_one()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HttpRoute
            metadata: {name: r}
            """);
        Assert.Equal("WEFT0002", d.Code);
        Assert.Contains("did you mean `HTTPRoute` (apiVersion gateway.networking.k8s.io/v1)?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_kind_in_an_unread_version_names_the_versions_read()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: HTTPRoute
            metadata: {name: r}
            """);
        Assert.Equal("WEFT0002", d.Code);
        Assert.Contains("use apiVersion gateway.networking.k8s.io/v1 or gateway.networking.k8s.io/v1beta1", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_apiVersion_and_kind_are_reported()
    {
        var result = Decode("metadata: {name: x}\n");
        Assert.Equal(["apiVersion", "kind"], result.Diagnostics.Select(d => d.Field));
        Assert.All(result.Diagnostics, d => Assert.Equal("WEFT0005", d.Code));
    }

    [Fact]
    public void Unknown_field_suggests_the_close_field()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: infra
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                port: 80
                protcol: HTTP
            """);
        Assert.Equal("WEFT0003", d.Code);
        Assert.Equal("spec.listeners[0].protcol", d.Field);
        Assert.Equal("Gateway/infra/gw", d.Resource);
        Assert.Equal(new SourceLocation(FileName, 11, 5), d.Location);
        Assert.Equal("unknown field `protcol`; did you mean `protocol`?", d.Message);
        // The misspelt field is not reported a second time as a missing `protocol`.
    }

    [Fact]
    public void Unknown_field_without_a_close_match_has_no_suggestion()
    {
        var d = Single("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
            spec:
              somethingElse: 1
            """);
        Assert.Equal("WEFT0003", d.Code);
        Assert.Equal("spec.somethingElse", d.Field);
        Assert.Equal("unknown field `somethingElse`", d.Message);
    }

    [Fact]
    public void Wrong_type_is_reported_at_the_value()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                port: eighty
                protocol: HTTP
            """);
        Assert.Equal("WEFT0004", d.Code);
        Assert.Equal("spec.listeners[0].port", d.Field);
        Assert.Equal(new SourceLocation(FileName, 9, 11), d.Location);
        Assert.Equal("expected an integer, got `eighty`", d.Message);
        Assert.Equal("test.yaml:9:11: error WEFT0004: Gateway/gw: spec.listeners[0].port: expected an integer, got `eighty` (fix: give the field a value of the type the schema expects)", d.ToString());
    }

    [Fact]
    public void Mapping_where_a_scalar_belongs_and_scalar_where_a_list_belongs_are_wrong_types()
    {
        var result = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
            spec:
              hostnames: example.com
              parentRefs:
              - name: {a: b}
            """);
        Assert.Equal(["spec.hostnames", "spec.parentRefs[0].name"], result.Diagnostics.Select(d => d.Field));
        Assert.Equal(["expected a list, got `example.com`", "expected a string, got a mapping"], result.Diagnostics.Select(d => d.Message));
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Integers_out_of_range_and_booleans_that_are_not_are_wrong_types()
    {
        var result = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
            spec:
              rules:
              - backendRefs:
                - name: svc
                  port: 99999999999
                filters:
                - type: CORS
                  cors:
                    allowCredentials: yes
            """);
        Assert.Equal(["spec.rules[0].backendRefs[0].port", "spec.rules[0].filters[0].cors.allowCredentials"], result.Diagnostics.Select(d => d.Field));
        Assert.Contains("out of range", result.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("expected a boolean (true or false), got `yes`", result.Diagnostics[1].Message);
    }

    [Fact]
    public void Scalars_are_typed_by_the_field_not_by_their_look()
    {
        var route = One<HttpRoute>("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
              labels:
                version: 1
                enabled: true
                empty:
            spec:
              parentRefs:
              - name: 123
                port: "8080"
              rules:
              - matches:
                - headers:
                  - name: x-flag
                    value: true
                  - name: x-num
                    value: 0010
            """);
        Assert.Equal("1", route.Metadata.Labels["version"]);
        Assert.Equal("true", route.Metadata.Labels["enabled"]);
        Assert.Equal("", route.Metadata.Labels["empty"]);
        Assert.Equal("123", route.Spec.ParentRefs![0].Name);
        Assert.Equal(8080, route.Spec.ParentRefs[0].Port);
        Assert.Equal(["true", "0010"], route.Spec.Rules![0].Matches![0].Headers!.Select(h => h.Value));
    }

    [Fact]
    public void Missing_required_fields_are_each_reported()
    {
        var result = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              listeners:
              - port: 80
            """);
        Assert.Equal(["spec.gatewayClassName", "spec.listeners[0].name", "spec.listeners[0].protocol"], result.Diagnostics.Select(d => d.Field));
        Assert.All(result.Diagnostics, d => Assert.Equal("WEFT0005", d.Code));
        Assert.Equal("required field `protocol` is missing", result.Diagnostics[2].Message);
        Assert.Equal(7, result.Diagnostics[2].Location!.Line);
    }

    [Fact]
    public void Missing_name_is_reported()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              namespace: apps
            spec: {}
            """);
        Assert.Equal("WEFT0005", d.Code);
        Assert.Equal("metadata.name", d.Field);
        Assert.Equal(3, d.Location!.Line);
        Assert.Equal("HTTPRoute", d.Resource);
    }

    [Fact]
    public void Missing_metadata_is_a_missing_name()
    {
        var d = Single("""
            apiVersion: v1
            kind: Namespace
            """);
        Assert.Equal("WEFT0005", d.Code);
        Assert.Equal("metadata.name", d.Field);
    }

    [Fact]
    public void Missing_spec_is_reported_when_the_spec_has_required_fields()
    {
        var d = Single("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata:
              name: weft
            """);
        Assert.Equal("WEFT0005", d.Code);
        Assert.Equal("spec", d.Field);
    }

    [Fact]
    public void A_multi_document_file_with_one_bad_document_yields_the_good_ones_and_the_diagnostic()
    {
        var result = Decode("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: one
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: bad
              namespace: one
            spec:
              rules:
              - backendRefs:
                - name: svc
                  prot: 80
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: two
            """);
        Assert.Equal(["Namespace/one", "Namespace/two"], result.Resources.Select(r => r.DisplayName));
        var d = Assert.Single(result.Diagnostics);
        Assert.True(result.HasErrors);
        var text = d.ToString();
        Assert.Contains("test.yaml:15:7", text, StringComparison.Ordinal);
        Assert.Contains("HTTPRoute/one/bad", text, StringComparison.Ordinal);
        Assert.Contains("spec.rules[0].backendRefs[0].prot", text, StringComparison.Ordinal);
        Assert.Contains("did you mean `port`?", text, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_of_a_document_are_reported_not_only_the_first()
    {
        var result = Decode("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              nmespace: x
            spec:
              gatewayClassName: weft
              listeners:
              - name: a
                port: x
                protocol: HTTP
              - name: b
                port: 80
                protocol: [HTTP]
                extra: 1
            """);
        Assert.True(result.Diagnostics.Count == 4, string.Join("\n", result.Diagnostics));
        Assert.Equal(["metadata.nmespace", "spec.listeners[0].port", "spec.listeners[1].protocol", "spec.listeners[1].extra"], result.Diagnostics.Select(d => d.Field));
        Assert.Contains("did you mean `namespace`?", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_comment_only_documents_are_skipped_silently()
    {
        var result = Decode("""
            # just a comment
            ---
            ---
            # another
            ...
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
            ---
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Resources);
        Assert.Empty(Decode("").Diagnostics);
        Assert.Empty(Decode("   \n# nothing\n").Resources);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_reported()
    {
        var d = Single("- a\n- b\n");
        Assert.Equal("WEFT0004", d.Code);
        Assert.Contains("must be a mapping", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_within_one_decode_are_reported_at_the_second()
    {
        var result = Decode("""
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: default}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            spec: {ports: [{port: 81}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: other}
            spec: {ports: [{port: 82}]}
            """);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("WEFT0006", d.Code);
        Assert.Equal(6, d.Location!.Line);
        Assert.Contains("already defined at test.yaml:1:1", d.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Resources.Count);
        Assert.Equal(80, ((V1Service)result.Resources[0].Object).Spec.Ports[0].Port);
    }

    [Fact]
    public void Duplicate_keys_are_malformed_yaml()
    {
        var d = Single("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
              name: b
            """);
        Assert.Equal("WEFT0001", d.Code);
        Assert.Equal("metadata.name", d.Field);
        Assert.Equal(5, d.Location!.Line);
        Assert.Contains("duplicate key `name` (first at line 4)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_List_is_expanded()
    {
        var result = Decode("""
            apiVersion: v1
            kind: List
            metadata: {}
            items:
            - apiVersion: v1
              kind: Namespace
              metadata: {name: a}
            - apiVersion: v1
              kind: Namespace
              metadata: {name: b}
            - apiVersion: v1
              kind: Namespace
              metadata: {name: c}
              spec: {finalizerz: []}
            """);
        Assert.Equal(["Namespace/a", "Namespace/b"], result.Resources.Select(r => r.DisplayName));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.finalizerz", d.Field);
        Assert.Equal(14, d.Location!.Line);
        Assert.Equal(new SourceLocation(FileName, 8, 3), result.Resources[1].Location);
    }

    [Fact]
    public void Status_and_server_populated_metadata_are_accepted()
    {
        var route = One<HttpRoute>("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
              namespace: apps
              uid: 0b5c7a9e-0000-4000-8000-000000000000
              resourceVersion: "12345"
              generation: 3
              creationTimestamp: "2024-05-01T10:00:00Z"
              managedFields:
              - manager: kubectl
                operation: Apply
                fieldsV1: {f:spec: {}}
            spec:
              parentRefs: [{name: gw}]
            status:
              parents:
              - parentRef: {name: gw}
                controllerName: example.com/weft
                conditions:
                - type: Accepted
                  status: "True"
                  reason: Accepted
                  message: ok
                  lastTransitionTime: "2024-05-01T10:00:01Z"
                  observedGeneration: 3
            """);
        Assert.Null(route.Metadata.Uid);
        Assert.Null(route.Metadata.ResourceVersion);
        Assert.Null(route.Metadata.ManagedFields);
        Assert.Equal(3, route.Metadata.Generation);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), route.Metadata.CreationTimestamp!.Value.ToUniversalTime());
        var parent = Assert.Single(route.Status!.Parents);
        Assert.Equal("Accepted", Assert.Single(parent.Conditions).Reason);
    }

    [Fact]
    public void Status_that_does_not_fit_the_model_is_dropped_without_error()
    {
        var route = One<HttpRoute>("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {}
            status:
              parents: not-a-list
              somethingNew: 1
            """);
        Assert.Null(route.Status);

        var grant = One<ReferenceGrant>("""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: g}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: a}]
              to: [{group: "", kind: Service}]
            status: {}
            """);
        Assert.Equal("Service", grant.Spec.To[0].Kind);
    }

    [Fact]
    public void Core_kinds_use_the_KubernetesClient_models_and_their_special_types()
    {
        var result = Decode("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: apps}
            spec:
              selector: {app: web}
              ports:
              - name: http
                port: 80
                targetPort: http
              - name: grpc
                port: 9000
                targetPort: 9090
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: cert, namespace: apps}
            type: kubernetes.io/tls
            data:
              tls.crt: aGVsbG8=
            stringData:
              note: plain
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-abc
              namespace: apps
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.0.0.1]
              conditions: {ready: true}
            ports:
            - name: http
              port: 8080
            """);
        Assert.Empty(result.Diagnostics);
        var svc = (V1Service)result.Resources[0].Object;
        Assert.Equal("http", svc.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("9090", svc.Spec.Ports[1].TargetPort.Value);
        var secret = (V1Secret)result.Resources[1].Object;
        Assert.Equal("hello"u8.ToArray(), secret.Data["tls.crt"]);
        Assert.Equal("plain", secret.StringData["note"]);
        var slice = (V1EndpointSlice)result.Resources[2].Object;
        Assert.Equal("10.0.0.1", slice.Endpoints[0].Addresses[0]);
        Assert.True(slice.Endpoints[0].Conditions.Ready);
    }

    [Fact]
    public void Secret_data_that_is_not_base64_is_reported()
    {
        var d = Single("""
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data:
              tls.key: not base64!
            """);
        Assert.Equal("WEFT0004", d.Code);
        Assert.Equal("data[\"tls.key\"]", d.Field);
        Assert.Contains("stringData", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Istio_kinds_decode()
    {
        var result = Decode("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: ext, namespace: apps}
            spec:
              hosts: [api.example.com]
              ports:
              - {number: 443, name: https, protocol: TLS}
              resolution: DNS
              location: MESH_EXTERNAL
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: WorkloadEntry
            metadata: {name: vm1, namespace: apps}
            spec:
              address: 10.1.0.5
              ports: {http: 8080}
              labels: {app: web}
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(443, ((ServiceEntry)result.Resources[0].Object).Spec.Ports![0].Number);
        Assert.Equal(8080, ((WorkloadEntry)result.Resources[1].Object).Spec.Ports!["http"]);
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var route = One<HttpRoute>("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec:
              parentRefs:
              - &gw {name: gw, namespace: infra}
              rules:
              - backendRefs: [{name: a, port: 80}]
              - backendRefs: [{name: b, port: 80}]
            """);
        Assert.Equal("infra", route.Spec.ParentRefs![0].Namespace);
    }

    [Fact]
    public void Crlf_line_endings_are_read()
    {
        var result = Decode("apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  nam: b\r\n");
        Assert.Single(result.Resources);
        Assert.Equal(9, Assert.Single(result.Diagnostics, d => d.Code == "WEFT0003").Location!.Line);
    }

    [Fact]
    public void DecodePaths_reads_folders_recursively_in_sorted_order_and_reports_missing_paths()
    {
        var dir = Directory.CreateTempSubdirectory("weft-api-tests-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "sub"));
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "a.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "sub", "c.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not yaml: [");
            var missing = Path.Combine(dir.FullName, "missing.yaml");

            var result = YamlCodec.DecodePaths([dir.FullName, missing]);

            Assert.Equal(["Namespace/a", "Namespace/b"], result.Resources.Select(r => r.DisplayName));
            Assert.Equal(Path.Combine(dir.FullName, "a.yml"), result.Resources[0].Location.File);
            Assert.Equal(["WEFT0006", "WEFT0007"], result.Diagnostics.Select(d => d.Code));
            Assert.Equal(Path.Combine(dir.FullName, "sub", "c.yaml"), result.Diagnostics[0].Location!.File);
            Assert.Contains("missing.yaml", result.Diagnostics[1].Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_diagnostic_table_has_unique_ordered_codes_including_the_codecs()
    {
        var codes = DiagnosticCodes.All.Select(c => c.Code).ToList();
        Assert.Equal(codes.Distinct().Count(), codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.All(codes, c => Assert.Matches("^WEFT[0-9]{4}$", c));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"WEFT{i:D4}"), codes.Take(9));
        Assert.All(DiagnosticCodes.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Fix)));
    }
}
