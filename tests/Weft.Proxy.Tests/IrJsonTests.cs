using System.Text;
using System.Text.Json;
using Weft.Ir;

namespace Weft.Proxy.Tests;

/// <summary>
/// The proxy's side of the IR's JSON (source-generated, the same code in `weft` and the NativeAOT
/// `weft-proxy`): what it reads, and what it does with members a snapshot leaves out.
/// </summary>
public sealed class IrJsonTests
{
    [Fact]
    public void A_snapshot_round_trips_byte_for_byte()
    {
        var snapshot = Snap.Gateway(
            [Snap.Http(8080, Snap.Listener("http", null, Snap.Host("*",
                Snap.Route("r", new MatchIr { Path = new() { Type = PathMatchType.RegularExpression, Value = "/a.*" }, Headers = [new() { Name = "x", Value = "y" }], Method = "GET" },
                    new BackendIr { Cluster = "c", Weight = 1, Filters = [new RequestHeaderModifierIr(new HeaderModifierIr { Set = [new("a", "b")], Remove = ["c"] })] }) with
                {
                    Filters = [new RequestMirrorIr { Cluster = "c", Numerator = 1, Denominator = 10 }, new CorsIr { AllowOrigins = ["*"] }, new RequestRedirectIr { Scheme = "https", StatusCode = 301 }],
                    Timeouts = new TimeoutsIr { Request = TimeSpan.FromSeconds(1.5) },
                })))],
            new ClusterIr { Name = "c", Endpoints = [new() { Address = "127.0.0.1", Port = 1 }], Protocol = UpstreamProtocol.H2c, Tls = new UpstreamTlsIr { Sni = "c.test", SubjectAltNames = [new() { Type = UpstreamSanType.Uri, Value = "spiffe://c" }] } });

        var json = IrJson.Serialize(snapshot);
        Assert.Equal(json, IrJson.Serialize(IrJson.Deserialize(json)));

        // The shape of the contract: camelCase, enums as strings, nulls left out, filters tagged by "type".
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains("\"path\":{\"type\":\"RegularExpression\",\"value\":\"/a.*\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"filters\":[{\"type\":\"RequestMirror\",\"cluster\":\"c\",\"numerator\":1,\"denominator\":10}", text, StringComparison.Ordinal);
        Assert.Contains("\"protocol\":\"H2c\"", text, StringComparison.Ordinal);
        Assert.Contains("\"request\":\"00:00:01.5000000\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.Contains("\"queryParams\":[]", IrJson.SerializeIndented(snapshot).Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Members_left_out_keep_their_defaults()
    {
        // A snapshot from a control plane that does not write some members (an older one, a hand-written
        // one): lists are empty, never default arrays that would throw in the proxy, and the path matches all.
        var snapshot = IrJson.Deserialize("""
            {"gatewayNamespace":"a","gatewayName":"b","ports":[{"port":80,"bindAddress":"127.0.0.1","bindPort":8080,"protocol":"Http",
              "listeners":[{"name":"l","virtualHosts":[{"hostname":"*","routes":[{"routeNamespace":"n","routeName":"r","ruleIndex":0,"matchIndex":0,
                "match":{},"backends":[{"cluster":"c","weight":1}],"filters":[{"type":"RequestHeaderModifier","modifier":{}},{"type":"CORS"}]}]}]}]}],
              "clusters":[{"name":"c","tls":{"sni":"c.test"}}]}
            """u8);

        var route = snapshot.Ports[0].Listeners[0].VirtualHosts[0].Routes[0];
        Assert.Equal(PathMatchType.PathPrefix, route.Match.Path.Type);
        Assert.Equal("/", route.Match.Path.Value);
        Assert.Empty(route.Match.Headers);
        Assert.Empty(route.Match.QueryParams);
        Assert.Empty(route.Backends[0].Filters);
        var modifier = Assert.IsType<RequestHeaderModifierIr>(route.Filters[0]).Modifier;
        Assert.Empty(modifier.Set);
        Assert.Empty(modifier.Add);
        Assert.Empty(modifier.Remove);
        Assert.Empty(Assert.IsType<CorsIr>(route.Filters[1]).AllowOrigins);
        Assert.Empty(snapshot.Clusters[0].Endpoints);
        Assert.Empty(snapshot.Clusters[0].Tls!.TrustedCaPem);
        Assert.Empty(snapshot.Clusters[0].Tls!.SubjectAltNames);
        Assert.Empty(snapshot.Validate());
        Assert.Empty(IrJson.Deserialize("""{"gatewayNamespace":"a","gatewayName":"b"}"""u8).Ports);
    }

    [Theory]
    [InlineData("""{"gatewayName":"b"}""", "missing required properties including: 'gatewayNamespace'")]
    [InlineData("""{"gatewayNamespace":"a","gatewayName":"b","ports":[{"port":80}]}""", "'bindAddress', 'bindPort', 'protocol'")]
    [InlineData("""{"gatewayNamespace":"a","gatewayName":"b","ports":[{"port":80,"bindAddress":"x","bindPort":1,"protocol":"Tcp"}]}""", "$.ports[0].protocol")]
    [InlineData("""{"gatewayNamespace":"a","gatewayName":"b","ports":[{"port":80,"bindAddress":"x","bindPort":1,"protocol":"Http","listeners":[{"name":"l","virtualHosts":[{"hostname":"*","routes":[{"routeNamespace":"n","routeName":"r","ruleIndex":0,"matchIndex":0,"match":{},"filters":[{"type":"Nope"}]}]}]}]}]}""", "unrecognized type discriminator id 'Nope'")]
    [InlineData("null", "the snapshot is empty")]
    public void A_snapshot_it_cannot_read_is_a_JsonException(string json, string message)
    {
        var e = Assert.Throws<JsonException>(() => IrJson.Deserialize(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_IR_types_are_serialized()
    {
        Assert.Contains("\"hostname\": \"*\"", IrJson.SerializeIndented(Snap.Host("*")), StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => IrJson.SerializeIndented(new Uri("http://x")));
    }
}
