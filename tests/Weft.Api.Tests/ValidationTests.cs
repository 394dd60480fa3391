using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Api.Validation;
using Weft.Api.Yaml;
using static Weft.Api.Tests.TestYaml;

namespace Weft.Api.Tests;

public class ValidationTests
{
    private static string Gateway(string listeners) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: infra
        spec:
          gatewayClassName: weft
          listeners:
        {Indent(listeners, "  ")}
        """;

    private static string Route(string rules, string extraSpec = "") => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
          namespace: apps
        spec:
          parentRefs: [{"{"}name: gw, namespace: infra{"}"}]
        {Indent(extraSpec, "  ")}
          rules:
        {Indent(rules, "  ")}
        """;

    private static string Indent(string text, string prefix) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : prefix + l));

    /// <summary>Decodes, expects exactly one diagnostic with this code and field, and that the resource is not returned if it is an error.</summary>
    private static Diagnostic Expect(string yaml, string code, string field)
    {
        var result = Decode(yaml);
        var d = Assert.Single(result.Diagnostics);
        Assert.True(d.Code == code && d.Field == field, d.ToString());
        if (d.Severity == DiagnosticSeverity.Error)
        {
            Assert.Empty(result.Resources);
        }
        else
        {
            Assert.Single(result.Resources);
        }

        return d;
    }

    // ---- Gateway --------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Listener_port_must_be_1_to_65535(int port)
    {
        var d = Expect(Gateway($"- name: http\n  port: {port}\n  protocol: HTTP"), "WEFT0008", "spec.listeners[0].port");
        Assert.Equal($"port {port} is out of range: it must be between 1 and 65535", d.Message);
        Assert.Equal(new SourceLocation(FileName, 10, 11), d.Location);
        Assert.Equal("Gateway/infra/gw", d.Resource);
        Assert.Equal($"test.yaml:10:11: error WEFT0008: Gateway/infra/gw: spec.listeners[0].port: port {port} is out of range: it must be between 1 and 65535 (fix: change the value as the message says)", d.ToString());
    }

    [Theory]
    [InlineData("HTTP")]
    [InlineData("HTTPS")]
    [InlineData("TLS")]
    [InlineData("TCP")]
    [InlineData("UDP")]
    [InlineData("example.com/CUSTOM")]
    public void Listener_protocol_core_or_domain_prefixed_is_valid(string protocol)
    {
        var tls = protocol is "HTTPS" or "TLS" ? "\n  tls: {certificateRefs: [{name: cert}]}" : "";
        var result = Decode(Gateway($"- name: l\n  port: 443\n  protocol: {protocol}{tls}"));
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Listener_protocol_not_matching_the_pattern_is_an_error()
    {
        var d = Expect(Gateway("- name: l\n  port: 80\n  protocol: HTTP/2"), "WEFT0008", "spec.listeners[0].protocol");
        Assert.Contains("use HTTP, HTTPS, TLS, TCP, UDP, or a domain-prefixed name", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listener_protocol_well_formed_but_unknown_is_a_warning_and_the_gateway_is_kept()
    {
        var d = Expect(Gateway("- name: l\n  port: 80\n  protocol: http"), "WEFT0009", "spec.listeners[0].protocol");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("did you mean `HTTP`?", d.Message, StringComparison.Ordinal);
        Assert.False(Decode(Gateway("- name: l\n  port: 80\n  protocol: GRPC")).HasErrors);
    }

    [Fact]
    public void Listener_names_must_be_unique()
    {
        var d = Expect(Gateway("- {name: web, port: 80, protocol: HTTP}\n- {name: web, port: 8080, protocol: HTTP}"), "WEFT0008", "spec.listeners[1].name");
        Assert.Contains("Listener name must be unique within the Gateway", d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(FileName, 10, 12), d.Location); // the second `web`
    }

    [Fact]
    public void Listener_port_protocol_hostname_combination_must_be_unique()
    {
        var d = Expect(Gateway("- {name: a, port: 80, protocol: HTTP, hostname: a.example.com}\n- {name: b, port: 80, protocol: HTTP, hostname: a.example.com}"), "WEFT0008", "spec.listeners[1]");
        Assert.Contains("Combination of port, protocol and hostname must be unique", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Example.com", "lowercase")]
    [InlineData("foo.*.example.com", "wildcard is allowed only as the whole first label")]
    [InlineData("*example.com", "wildcard")]
    [InlineData("example.com:80", "port")]
    [InlineData("-bad.example.com", "DNS name")]
    public void Listener_hostname_must_be_valid(string hostname, string why)
    {
        var d = Expect(Gateway($"- name: l\n  port: 80\n  protocol: HTTP\n  hostname: \"{hostname}\""), "WEFT0008", "spec.listeners[0].hostname");
        Assert.Contains(why, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listener_hostname_wildcard_prefix_is_valid()
    {
        Assert.Empty(Decode(Gateway("- name: l\n  port: 80\n  protocol: HTTP\n  hostname: \"*.example.com\"")).Diagnostics);
    }

    [Fact]
    public void Listener_tls_rules()
    {
        Expect(Gateway("- name: l\n  port: 80\n  protocol: HTTP\n  tls: {certificateRefs: [{name: c}]}"), "WEFT0008", "spec.listeners[0].tls");
        var d = Expect(Gateway("- name: l\n  port: 443\n  protocol: HTTPS\n  tls: {mode: Passthrough}"), "WEFT0008", "spec.listeners[0].tls.mode");
        Assert.Equal("tls mode must be Terminate for protocol HTTPS", d.Message);
        d = Expect(Gateway("- name: l\n  port: 443\n  protocol: HTTPS\n  tls: {}"), "WEFT0008", "spec.listeners[0].tls");
        Assert.Equal("certificateRefs or options must be specified when mode is Terminate", d.Message);
        Expect(Gateway("- name: l\n  port: 9000\n  protocol: TCP\n  hostname: a.example.com"), "WEFT0008", "spec.listeners[0].hostname");
    }

    [Fact]
    public void A_gateway_needs_a_listener()
    {
        var d = Expect(Gateway("  []"), "WEFT0005", "spec.listeners");
        Assert.Equal("a Gateway needs at least one listener", d.Message);
    }

    [Fact]
    public void Infrastructure_parametersRef_is_local()
    {
        var yaml = Gateway("- {name: l, port: 80, protocol: HTTP}") + "\n  infrastructure:\n    parametersRef: {group: weft.dev, kind: Config, name: c, namespace: other}";
        Expect(yaml, "WEFT0003", "spec.infrastructure.parametersRef.namespace");
    }

    // ---- HTTPRoute ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("api", "value must be an absolute path and start with '/'")]
    [InlineData("/a//b", "must not contain '//'")]
    [InlineData("/a/../b", "must not contain '/../'")]
    [InlineData("/a%2fb", "must not contain '%2f'")]
    [InlineData("/a#b", "must not contain '#'")]
    [InlineData("/a/.", "must not end with '/.'")]
    [InlineData("/a b", "must only contain valid characters")]
    public void Path_match_value_must_be_an_absolute_clean_path(string value, string why)
    {
        var result = Decode(Route($"- matches:\n  - path: {{type: PathPrefix, value: \"{value}\"}}\n  backendRefs: [{{name: s, port: 80}}]"));
        Assert.NotEmpty(result.Diagnostics);
        Assert.Empty(result.Resources);
        Assert.All(result.Diagnostics, d => Assert.Equal(("WEFT0008", "spec.rules[0].matches[0].path.value", 11), (d.Code, d.Field, d.Location!.Line)));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(why, StringComparison.Ordinal));
    }

    [Fact]
    public void Path_match_type_must_be_known_and_regex_is_not_checked_as_a_path()
    {
        Expect(Route("- matches:\n  - path: {type: Prefix, value: /a}"), "WEFT0008", "spec.rules[0].matches[0].path.type");
        Assert.Empty(Decode(Route("- matches:\n  - path: {type: RegularExpression, value: \"^/a.*$\"}")).Diagnostics);
    }

    [Theory]
    [InlineData("x user")]
    [InlineData("x:user")]
    [InlineData("")]
    public void Header_names_must_be_valid(string name)
    {
        var d = Expect(Route($"- matches:\n  - headers:\n    - {{name: \"{name}\", value: v}}"), name.Length == 0 ? "WEFT0005" : "WEFT0008", "spec.rules[0].matches[0].headers[0].name");
        Assert.Contains("header name", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_modifier_names_must_be_valid_and_unique()
    {
        var result = Decode(Route("- filters:\n  - type: RequestHeaderModifier\n    requestHeaderModifier:\n      set: [{name: x-a, value: '1'}, {name: X-A, value: '2'}]\n      remove: [\"bad header\"]"));
        Assert.Equal(["spec.rules[0].filters[0].requestHeaderModifier.set[1].name", "spec.rules[0].filters[0].requestHeaderModifier.remove[0]"], result.Diagnostics.Select(d => d.Field));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void BackendRef_weight_must_be_0_to_1000000(int weight)
    {
        var d = Expect(Route($"- backendRefs:\n  - {{name: s, port: 80, weight: {weight}}}"), "WEFT0008", "spec.rules[0].backendRefs[0].weight");
        Assert.Equal($"weight {weight} is out of range: it must be between 0 and 1000000", d.Message);
    }

    [Fact]
    public void BackendRef_to_a_service_must_have_a_port()
    {
        var d = Expect(Route("- backendRefs:\n  - name: s"), "WEFT0005", "spec.rules[0].backendRefs[0].port");
        Assert.Equal("Must have port for Service reference", d.Message);
        Assert.Equal(new SourceLocation(FileName, 11, 7), d.Location); // the backendRef item
        Assert.Empty(Decode(Route("- backendRefs:\n  - {group: example.com, kind: Bucket, name: s}")).Diagnostics);
        Expect(Route("- filters:\n  - type: RequestMirror\n    requestMirror: {backendRef: {name: m}}"), "WEFT0005", "spec.rules[0].filters[0].requestMirror.backendRef.port");
    }

    [Theory]
    [InlineData("RequestHeaderModifier", "requestHeaderModifier")]
    [InlineData("ResponseHeaderModifier", "responseHeaderModifier")]
    [InlineData("RequestRedirect", "requestRedirect")]
    [InlineData("URLRewrite", "urlRewrite")]
    [InlineData("RequestMirror", "requestMirror")]
    [InlineData("ExtensionRef", "extensionRef")]
    [InlineData("CORS", "cors")]
    public void Filter_type_needs_its_field(string type, string field)
    {
        var d = Expect(Route($"- filters:\n  - type: {type}"), "WEFT0005", $"spec.rules[0].filters[0].{field}");
        Assert.Equal($"filter.{field} must be specified for {type} filter.type", d.Message);
    }

    [Fact]
    public void Filter_field_of_another_type_is_an_error()
    {
        var result = Decode(Route("- filters:\n  - type: RequestHeaderModifier\n    requestHeaderModifier: {set: [{name: a, value: b}]}\n    urlRewrite: {hostname: a.example.com}"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.rules[0].filters[0].urlRewrite", d.Field);
        Assert.Contains("filter.urlRewrite must be nil if the filter.type is not URLRewrite", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_type_must_be_known()
    {
        var d = Expect(Route("- filters:\n  - type: RequestHeaderModifer\n    requestHeaderModifier: {}"), "WEFT0008", "spec.rules[0].filters[0].type");
        Assert.Contains("did you mean `RequestHeaderModifier`?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_that_cannot_be_repeated_or_combined()
    {
        Expect(Route("- filters:\n  - {type: RequestHeaderModifier, requestHeaderModifier: {}}\n  - {type: RequestHeaderModifier, requestHeaderModifier: {}}"), "WEFT0008", "spec.rules[0].filters");
        Expect(Route("- filters:\n  - {type: RequestRedirect, requestRedirect: {}}\n  - {type: URLRewrite, urlRewrite: {}}"), "WEFT0008", "spec.rules[0].filters");
        var d = Expect(Route("- filters:\n  - {type: RequestRedirect, requestRedirect: {scheme: https}}\n  backendRefs: [{name: s, port: 80}]"), "WEFT0008", "spec.rules[0].filters");
        Assert.Equal("RequestRedirect filter must not be used together with backendRefs", d.Message);
    }

    [Theory]
    [InlineData(303)]
    [InlineData(200)]
    public void Redirect_status_code_must_be_301_or_302(int code)
    {
        var d = Expect(Route($"- filters:\n  - type: RequestRedirect\n    requestRedirect: {{statusCode: {code}}}"), "WEFT0008", "spec.rules[0].filters[0].requestRedirect.statusCode");
        Assert.Equal($"statusCode {code} is not valid: use 301 or 302", d.Message);
    }

    [Fact]
    public void Redirect_scheme_hostname_and_path_modifier_rules()
    {
        Expect(Route("- filters:\n  - type: RequestRedirect\n    requestRedirect: {scheme: ftp}"), "WEFT0008", "spec.rules[0].filters[0].requestRedirect.scheme");
        Expect(Route("- filters:\n  - type: RequestRedirect\n    requestRedirect: {hostname: \"*.example.com\"}"), "WEFT0008", "spec.rules[0].filters[0].requestRedirect.hostname");
        Expect(Route("- filters:\n  - type: RequestRedirect\n    requestRedirect: {path: {type: ReplaceFullPath}}"), "WEFT0005", "spec.rules[0].filters[0].requestRedirect.path.replaceFullPath");
        var both = Decode(Route("- filters:\n  - type: URLRewrite\n    urlRewrite: {path: {type: ReplaceFullPath, replacePrefixMatch: /a}}"));
        Assert.Equal(
            ["spec.rules[0].filters[0].urlRewrite.path.replaceFullPath", "spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch"],
            both.Diagnostics.Select(d => d.Field));
        Assert.Equal("type must be 'ReplacePrefixMatch' when replacePrefixMatch is set", both.Diagnostics[1].Message);
        var d = Expect(Route("- matches: [{path: {type: Exact, value: /a}}]\n  filters:\n  - type: URLRewrite\n    urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}\n  backendRefs: [{name: s, port: 80}]"), "WEFT0008", "spec.rules[0].matches");
        Assert.Contains("exactly one PathPrefix match must be specified", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_hostnames_must_be_valid()
    {
        var d = Expect(Route("- backendRefs: [{name: s, port: 80}]", "hostnames: [ok.example.com, \"bad_name.example.com\"]"), "WEFT0008", "spec.hostnames[1]");
        Assert.Equal(8, d.Location!.Line);
    }

    [Fact]
    public void Timeouts_are_gateway_api_durations_and_backend_not_longer_than_request()
    {
        Expect(Route("- timeouts: {request: 1.5s}"), "WEFT0008", "spec.rules[0].timeouts.request");
        var d = Expect(Route("- timeouts: {request: 1s, backendRequest: 2s}"), "WEFT0008", "spec.rules[0].timeouts.backendRequest");
        Assert.Contains("backendRequest timeout cannot be longer than request timeout", d.Message, StringComparison.Ordinal);
        Assert.Empty(Decode(Route("- timeouts: {request: 0s, backendRequest: 2s}")).Diagnostics);
    }

    [Fact]
    public void ParentRef_port_and_sectionName_rules()
    {
        var yaml = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec:
              parentRefs:
              - {name: gw, sectionName: http}
              - {name: gw}
              - {name: other, port: 0}
            """;
        var result = Decode(yaml);
        Assert.Equal(["spec.parentRefs[2].port", "spec.parentRefs[1].sectionName"], result.Diagnostics.Select(d => d.Field));
    }

    // ---- metadata and other kinds ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("Gateway_1")]
    [InlineData("-gw")]
    [InlineData("gw.")]
    public void Metadata_name_must_be_a_dns_subdomain(string name)
    {
        var yaml = Gateway("- {name: l, port: 80, protocol: HTTP}").Replace("name: gw", $"name: \"{name}\"", StringComparison.Ordinal);
        var d = Expect(yaml, "WEFT0008", "metadata.name");
        Assert.Contains("DNS subdomain", d.Message, StringComparison.Ordinal);
        Assert.Equal(4, d.Location!.Line);
    }

    [Fact]
    public void Namespace_and_service_names_are_dns_labels()
    {
        Expect("apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n", "WEFT0008", "metadata.name");
        Expect("apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\nspec: {ports: [{port: 80}]}\n", "WEFT0008", "metadata.name");
        Expect("apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {\"bad key!\": x}}\n", "WEFT0008", "metadata.labels[\"bad key!\"]");
    }

    [Fact]
    public void ReferenceGrant_needs_from_and_to()
    {
        var result = Decode("""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: g, namespace: b}
            spec:
              from: []
            """);
        Assert.Equal(["spec.from", "spec.to"], result.Diagnostics.Select(d => d.Field));
    }

    [Fact]
    public void Service_ports_are_in_range_and_named_when_several()
    {
        var result = Decode("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 70000}\n  - {port: 81, name: b}\n");
        Assert.Equal(["spec.ports[0].port", "spec.ports[0].name"], result.Diagnostics.Select(d => d.Field));
    }

    [Fact]
    public void Validate_can_be_called_on_objects_built_in_code()
    {
        var route = new HttpRoute
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "r", NamespaceProperty = "apps" },
            Spec = new HttpRouteSpec { Rules = [new HttpRouteRule { BackendRefs = [new HttpBackendRef { Name = "s", Weight = 2_000_000 }] }] },
        };
        var diagnostics = ResourceValidator.Validate(new DecodedResource(route, ResourceKinds.HttpRoute, new SourceLocation("<code>", 0, 0)));
        Assert.Equal(["spec.rules[0].backendRefs[0].port", "spec.rules[0].backendRefs[0].weight"], diagnostics.Select(d => d.Field));
        Assert.All(diagnostics, d => Assert.Equal("HTTPRoute/apps/r", d.Resource));
    }
}
