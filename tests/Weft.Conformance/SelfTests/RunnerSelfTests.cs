using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Weft.Conformance.Harness;
using Weft.Conformance.Runner;
using Weft.Conformance.Suite;

namespace Weft.Conformance.SelfTests;

/// <summary>
/// The runner's own checks, without Weft: a runner that compares too leniently would report
/// passes that upstream would not. These pin the Go comparison rules of FORMAT.md 7.2–7.4.
/// </summary>
public sealed class RunnerSelfTests
{
    private static readonly HttpTarget Target = new("127.0.0.1", 80, 10080, "http");

    private static JsonObject Case(string json) => JsonNode.Parse(json)!.AsObject();

    private static HttpResult Echo(string path = "/", string ns = "gateway-conformance-infra", string pod = "infra-backend-v1-abc-def", Dictionary<string, List<string>>? headers = null, int status = 200) =>
        new(status, new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = ["application/json"] },
            new EchoedRequest(path, "127.0.0.1", "GET", "HTTP/1.1", headers ?? new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase), ns, pod, null), null, "");

    private const string Simple = """
        {"type":"http","request":{"path":"/"},"expected":{"statusCodes":[200],"backend":"infra-backend-v1","namespace":"gateway-conformance-infra",
         "backendRequest":{"path":"/","method":"GET","headers":{"X-Header-Add":"a,b"},"absentHeaders":["X-Gone"],"derived":false}}}
        """;

    [Fact]
    public void A_matching_echo_passes() =>
        Assert.Null(Traffic.Compare(Case(Simple), Target, Echo(headers: new(StringComparer.OrdinalIgnoreCase) { ["x-header-add"] = ["a", "b"] })));

    [Fact]
    public void Header_values_are_joined_with_a_bare_comma() =>
        Assert.Contains("X-Header-Add", Traffic.Compare(Case(Simple), Target, Echo(headers: new(StringComparer.OrdinalIgnoreCase) { ["X-Header-Add"] = ["a, b"] }))!, StringComparison.Ordinal);

    [Fact]
    public void Wrong_pod_namespace_path_and_absent_headers_fail()
    {
        var ok = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Header-Add"] = ["a,b"] };
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, Echo(pod: "infra-backend-v2-abc-def", headers: ok)));
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, Echo(ns: "other", headers: ok)));
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, Echo(path: "/x", headers: ok)));
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, Echo(headers: new(ok, StringComparer.OrdinalIgnoreCase) { ["x-gone"] = ["1"] })));
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, Echo(status: 404, headers: ok)));
    }

    [Fact]
    public void A_200_that_is_not_the_echo_json_fails_a_path_expectation()
    {
        var notJson = new HttpResult(200, new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = ["application/json; charset=utf-8"] }, null, null, "{}");
        Assert.NotNull(Traffic.Compare(Case(Simple), Target, notJson));
    }

    [Fact]
    public void Timeouts_408_and_504_satisfy_each_other()
    {
        var c = Case("""{"type":"http","request":{"path":"/"},"expected":{"statusCodes":[504]}}""");
        Assert.Null(Traffic.Compare(c, Target, Echo(status: 408)));
    }

    [Theory]
    [InlineData("http", "", null, true)]
    [InlineData("http", "80", null, true)]
    [InlineData("http", "8080", null, false)]
    [InlineData("https", "443", null, true)]
    [InlineData("http", "8080", "8080", true)]
    [InlineData("http", "", "8080", false)]
    public void Redirect_ports_follow_the_go_defaults(string scheme, string port, string? expectedPort, bool passes)
    {
        var redirect = new JsonObject { ["scheme"] = scheme, ["host"] = "example.org" };
        if (expectedPort is not null)
        {
            redirect["port"] = expectedPort;
        }

        var c = new JsonObject { ["type"] = "http", ["request"] = new JsonObject { ["path"] = "/a?b=c" }, ["expected"] = new JsonObject { ["statusCodes"] = new JsonArray(302), ["redirect"] = redirect } };
        var r = new HttpResult(302, new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase), null, new RedirectTarget(scheme, "example.org", port, "/a"), "");
        Assert.Equal(passes, Traffic.Compare(c, Target, r) is null);
    }

    [Fact]
    public void Yaml_scalars_are_typed_like_kubernetes()
    {
        var doc = YamlJson.ParseDocuments("a: 80\nb: \"80\"\nc: true\nd: 'x'\ne:\n")[0];
        Assert.Equal(80, doc["a"]!.GetValue<long>());
        Assert.Equal("80", doc["b"]!.GetValue<string>());
        Assert.True(doc["c"]!.GetValue<bool>());
        Assert.Equal("x", doc["d"]!.GetValue<string>());
        Assert.Null(doc["e"]);
    }

    [Fact]
    public void Header_names_are_canonicalised_like_go()
    {
        Assert.Equal("X-Header-Set", HttpProbe.CanonicalHeaderKey("x-header-set"));
        Assert.Equal("Version", HttpProbe.CanonicalHeaderKey("version"));
    }

    [Fact]
    public void Generated_certificates_classify_sans_like_the_suite()
    {
        var (objects, certs) = TlsMaterial.Generate(SuiteData.Instance.RuntimeResources);
        Assert.Equal(SuiteData.Instance.RuntimeResources.Count, objects.Count);
        var validity = certs["gateway-conformance-infra/tls-validity-checks-certificate"].Certificate;
        var san = validity.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["*.org"], san.EnumerateDnsNames()); // "*" is a URI SAN, not a DNS name
        Assert.Contains("CN=default", validity.Subject, StringComparison.Ordinal);
        Assert.Contains("O=Acme Co", validity.Subject, StringComparison.Ordinal);
        Assert.True(validity.HasPrivateKey);
        var signed = certs["gateway-conformance-infra/tls-checks-certificate"].Certificate;
        Assert.Contains("CN=gatewayapi", signed.Issuer, StringComparison.Ordinal);
    }
}
