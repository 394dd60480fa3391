using Weft.Api.Model;
using static Weft.Api.Tests.TestYaml;

namespace Weft.Api.Tests;

/// <summary>WEFT0015: every place a user writes a regex takes RE2 only, reported with file, line, resource and field.</summary>
public sealed class RegexValidationTests
{
    private static Diagnostic ExpectNotRe2(string yaml, string field, int line, string construct)
    {
        var result = Decode(yaml);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("WEFT0015", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(field, d.Field);
        Assert.Equal(new SourceLocation(FileName, line, d.Location!.Column), d.Location);
        Assert.Contains(construct, d.Message, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
        return d;
    }

    private const string HttpRoute = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: r
          namespace: apps
        spec:
          rules:
          - matches:
            - path:
                type: RegularExpression
                value: PATH
              headers:
              - name: x-user
                type: RegularExpression
                value: HEADER
              queryParams:
              - name: q
                type: RegularExpression
                value: QUERY
        """;

    private static string Http(string path = "/ok/.*", string header = "[a-z]+", string query = "\\d+") =>
        HttpRoute.Replace("PATH", $"'{path}'").Replace("HEADER", $"'{header}'").Replace("QUERY", $"'{query}'");

    [Fact]
    public void HTTPRoute_regex_matches_that_are_RE2_pass() => Assert.Empty(Decode(Http()).Diagnostics);

    [Fact]
    public void HTTPRoute_path_header_and_query_regexes_must_be_RE2()
    {
        var d = ExpectNotRe2(Http(path: @"^(a+)+\1$"), "spec.rules[0].matches[0].path.value", 11, @"backreference \1");
        Assert.Equal("HTTPRoute/apps/r", d.Resource);
        ExpectNotRe2(Http(header: "(?<=a)b"), "spec.rules[0].matches[0].headers[0].value", 15, "lookbehind");
        ExpectNotRe2(Http(query: "a++"), "spec.rules[0].matches[0].queryParams[0].value", 19, "possessive quantifier");
    }

    [Fact]
    public void GRPCRoute_method_and_header_regexes_must_be_RE2()
    {
        const string yaml = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata:
              name: g
              namespace: apps
            spec:
              rules:
              - matches:
                - method:
                    type: RegularExpression
                    service: SERVICE
                    method: '[A-Z].*'
                  headers:
                  - name: x-user
                    type: RegularExpression
                    value: HEADER
            """;
        Assert.Empty(Decode(yaml.Replace("SERVICE", "'foo\\.v[0-9]+\\..*'").Replace("HEADER", "'.*'")).Diagnostics);
        ExpectNotRe2(yaml.Replace("SERVICE", "'(?>foo)'").Replace("HEADER", "'.*'"), "spec.rules[0].matches[0].method.service", 11, "atomic group");
        ExpectNotRe2(yaml.Replace("SERVICE", "foo").Replace("HEADER", "'\\Gx'"), "spec.rules[0].matches[0].headers[0].value", 16, @"\G");
    }

    [Fact]
    public void VirtualService_regex_string_matches_must_be_RE2()
    {
        const string yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: apps
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri:
                    regex: URI
                  authority:
                    regex: AUTHORITY
                  headers:
                    end-user:
                      regex: HEADER
                  queryParams:
                    v:
                      regex: QUERY
                route:
                - destination: {host: reviews}
            """;
        static string Vs(string yaml, string uri = "'/r/.*'", string authority = "'.*'", string header = "'j.*'", string query = "'[0-9]'") =>
            yaml.Replace("URI", uri).Replace("AUTHORITY", authority).Replace("HEADER", header).Replace("QUERY", query);

        Assert.Empty(Decode(Vs(yaml)).Diagnostics);
        ExpectNotRe2(Vs(yaml, uri: "'(a)\\1'"), "spec.http[0].match[0].uri.regex", 11, "backreference");
        ExpectNotRe2(Vs(yaml, authority: "'(?(x)a|b)'"), "spec.http[0].match[0].authority.regex", 13, "conditional");
        ExpectNotRe2(Vs(yaml, header: "'a(?!b)'"), "spec.http[0].match[0].headers.end-user.regex", 16, "negative lookahead");
        ExpectNotRe2(Vs(yaml, query: "'(?x) a'"), "spec.http[0].match[0].queryParams.v.regex", 19, "inline option 'x'");
    }

    [Fact]
    public void The_code_is_in_the_table() =>
        Assert.Equal(DiagnosticCodes.NotRe2, DiagnosticCodes.Find("WEFT0015"));
}
