using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation.Tests;

/// <summary>
/// The translator's own checks for input that the CRDs' validation rejects before translation
/// (so golden inputs, decoded strictly, cannot carry it). The translator must still never emit
/// IR the proxy would NACK, whatever it is given.
/// </summary>
public sealed class TranslatorChecksTests
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        ["gateway.networking.k8s.io/v1/GatewayClass"] = typeof(GatewayClass),
        ["gateway.networking.k8s.io/v1/Gateway"] = typeof(Gateway),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRoute),
        ["v1/Service"] = typeof(V1Service),
    };

    private const string Common = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: weft
        spec:
          controllerName: weft.dev/gateway-controller
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: svc
          namespace: default
        spec:
          ports:
          - port: 80
        ---
        """;

    private static TranslationResult Translate(string yaml)
    {
        // Lenient decoding on purpose: this input breaks CEL rules the strict codec enforces.
        var objects = KubernetesYaml.LoadAllFromString(Common + "\n" + yaml, Types).OfType<IKubernetesObject<V1ObjectMeta>>();
        var result = Translator.Translate(ResourceSnapshot.From(objects), new TranslatorOptions());
        foreach (var (id, ir) in result.Gateways)
        {
            Assert.Empty(ir.Validate().Select(e => $"{id}: {e}"));
        }

        return result;
    }

    private static T Status<T>(TranslationResult result, string kind, string ns, string name) =>
        (T)result.Statuses.Single(s => s.Key.Kind == kind && s.Key.Namespace == ns && s.Key.Name == name).Status;

    private static V1Condition Condition(IEnumerable<V1Condition> conditions, string type) => conditions.Single(c => c.Type == type);

    private const string Gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: default
        spec:
          gatewayClassName: weft
          listeners:
          - name: http
            protocol: HTTP
            port: 80
        ---
        """;

    [Fact]
    public void SamePortProtocolAndHostnameConflict()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              listeners:
              - name: a
                protocol: HTTP
                port: 80
                hostname: dup.example.com
              - name: b
                protocol: HTTP
                port: 80
                hostname: DUP.example.com
              - name: c
                protocol: HTTP
                port: 80
            """);
        var status = Status<GatewayStatus>(result, "Gateway", "default", "gw");
        foreach (var name in new[] { "a", "b" })
        {
            var l = status.Listeners.Single(l => l.Name == name);
            Assert.Equal(("True", "HostnameConflict"), (Condition(l.Conditions, "Conflicted").Status, Condition(l.Conditions, "Conflicted").Reason));
            Assert.Equal("False", Condition(l.Conditions, "Accepted").Status);
            Assert.Equal("False", Condition(l.Conditions, "Programmed").Status);
        }

        Assert.Equal("False", Condition(status.Listeners.Single(l => l.Name == "c").Conditions, "Conflicted").Status);
        var accepted = Condition(status.Conditions, "Accepted");
        Assert.Equal(("True", "ListenersNotValid"), (accepted.Status, accepted.Reason));
        var ir = result.Gateways["default/gw"];
        Assert.Equal(["c"], ir.Ports.Single().Listeners.Select(l => l.Name));
    }

    [Fact]
    public void HttpsPassthroughIsNotAccepted()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              listeners:
              - name: https
                protocol: HTTPS
                port: 443
                tls:
                  mode: Passthrough
            """);
        var l = Status<GatewayStatus>(result, "Gateway", "default", "gw").Listeners.Single();
        Assert.Equal(("False", "UnsupportedValue"), (Condition(l.Conditions, "Accepted").Status, Condition(l.Conditions, "Accepted").Reason));
        Assert.Empty(result.Gateways);
    }

    [Theory]
    [InlineData("ReplacePrefixMatch needs every match", """
          - matches:
            - path:
                type: Exact
                value: /exact
            filters:
            - type: URLRewrite
              urlRewrite:
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /x
            backendRefs:
            - name: svc
              port: 80
        """)]
    [InlineData("RequestRedirect and URLRewrite cannot be combined", """
          - filters:
            - type: RequestRedirect
              requestRedirect:
                scheme: https
            - type: URLRewrite
              urlRewrite:
                hostname: x.example.com
        """)]
    [InlineData("must not exceed timeouts.request", """
          - timeouts:
              request: 1s
              backendRequest: 2s
            backendRefs:
            - name: svc
              port: 80
        """)]
    [InlineData("is not a Gateway API duration", """
          - timeouts:
              request: 1.5s
            backendRefs:
            - name: svc
              port: 80
        """)]
    [InlineData("not an RE2 regular expression", """
          - matches:
            - path:
                type: RegularExpression
                value: "/(unclosed"
            backendRefs:
            - name: svc
              port: 80
        """)]
    [InlineData("appears more than once", """
          - filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: a, value: "1"}]
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: b, value: "2"}]
            backendRefs:
            - name: svc
              port: 80
        """)]
    public void InvalidRuleAnswers500AndIsReported(string expectedMessage, string badRule)
    {
        var result = Translate(Gateway + "\n" + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: r
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - matches:
                - path:
                    value: /good
                backendRefs:
                - name: svc
                  port: 80

            """ + badRule);
        var parent = Status<RouteStatus>(result, "HTTPRoute", "default", "r").Parents.Single();
        Assert.Equal("True", Condition(parent.Conditions, "Accepted").Status);
        var partial = Condition(parent.Conditions, "PartiallyInvalid");
        Assert.Equal(("True", "UnsupportedValue"), (partial.Status, partial.Reason));
        Assert.StartsWith("Dropped Rule(s) 1", partial.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, partial.Message, StringComparison.Ordinal);

        var routes = result.Gateways["default/gw"].Ports.Single().Listeners.Single().VirtualHosts.Single().Routes;
        Assert.Single(routes.Single(r => r.RuleIndex == 0).Backends);
        var bad = routes.SingleOrDefault(r => r.RuleIndex == 1);
        if (expectedMessage == "not an RE2 regular expression")
        {
            // A match the proxy cannot compile cannot be claimed: the rule is dropped outright.
            Assert.Null(bad);
            return;
        }

        Assert.NotNull(bad);
        Assert.Empty(bad.Backends);
        Assert.Empty(bad.Filters);
        Assert.Null(bad.Timeouts);
    }

    [Fact]
    public void GatewayClassWithParametersIsNotAccepted()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata:
              name: with-params
            spec:
              controllerName: weft.dev/gateway-controller
              parametersRef:
                group: example.com
                kind: Config
                name: x
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: with-params
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            """);
        var gc = Status<GatewayClassStatus>(result, "GatewayClass", "", "with-params");
        Assert.Equal(("False", "InvalidParameters"), (Condition(gc.Conditions, "Accepted").Status, Condition(gc.Conditions, "Accepted").Reason));
        var gw = Status<GatewayStatus>(result, "Gateway", "default", "gw");
        Assert.Equal("False", Condition(gw.Conditions, "Accepted").Status);
        Assert.Empty(result.Gateways);
    }

    [Fact]
    public void PortOffsetAndAddressesApply()
    {
        var objects = KubernetesYaml.LoadAllFromString(Common + "\n" + Gateway.TrimEnd('-', '\n'), Types).OfType<IKubernetesObject<V1ObjectMeta>>();
        var result = Translator.Translate(ResourceSnapshot.From(objects), new TranslatorOptions
        {
            PortOffset = 8000,
            GatewayAddresses = new Dictionary<string, string> { ["default/gw"] = "127.0.0.9" },
        });
        var port = result.Gateways["default/gw"].Ports.Single();
        Assert.Equal((80, 8080, "127.0.0.9", ListenerProtocol.Http), (port.Port, port.BindPort, port.BindAddress, port.Protocol));
        Assert.Equal("127.0.0.9", Status<GatewayStatus>(result, "Gateway", "default", "gw").Addresses!.Single().Value);
    }

    [Fact]
    public void EmptySnapshotGivesNothing()
    {
        var result = Translator.Translate(new ResourceSnapshot(), new TranslatorOptions());
        Assert.Empty(result.Gateways);
        Assert.Empty(result.Statuses);
        Assert.Empty(result.Diagnostics);
    }
}
