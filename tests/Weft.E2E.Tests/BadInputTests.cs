using System.Net;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>Conflicts and broken references are reported in status, and everything else keeps serving.</summary>
[Collection("e2e")]
public sealed class BadInputTests
{
    [Fact]
    public async Task Conflicting_listeners_and_a_missing_service_are_reported_while_the_rest_serves()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var good = await backends.StartAsync("default", "good");
        workspace.Write("all.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              listeners:
              - name: web
                protocol: HTTP
                port: 80
              - name: dup-a
                protocol: HTTP
                port: 81
              - name: dup-b
                protocol: HTTPS
                port: 81
                tls:
                  certificateRefs:
                  - name: some-cert
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: fine
              namespace: default
            spec:
              parentRefs:
              - name: gw
                sectionName: web
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /fine
                backendRefs:
                - name: good
                  port: 80
              - matches:
                - path:
                    type: PathPrefix
                    value: /broken
                backendRefs:
                - name: does-not-exist
                  port: 80
            ---

            """ + Backends.ServiceWithSlice("default", "good", 80, good));
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        using var client = new GatewayClient(weft.GatewayUri());
        Assert.Equal("good", (await client.GetAsync("x.test", "/fine")).Service);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("x.test", "/broken")).Status);

        var gateways = await weft.GetJsonAsync("api/v1/gateways?namespace=default");
        var listeners = gateways["items"]![0]!["status"]!["listeners"]!.AsArray();
        foreach (var name in new[] { "dup-a", "dup-b" })
        {
            var conditions = listeners.Single(l => (string?)l!["name"] == name)!["conditions"]!.AsArray();
            var conflicted = conditions.Single(c => (string?)c!["type"] == "Conflicted")!;
            Assert.Equal("True", (string?)conflicted["status"]);
            Assert.Equal("ProtocolConflict", (string?)conflicted["reason"]);
        }

        var web = listeners.Single(l => (string?)l!["name"] == "web")!["conditions"]!.AsArray();
        Assert.Equal("True", (string?)web.Single(c => (string?)c!["type"] == "Programmed")!["status"]);

        var routes = await weft.GetJsonAsync("api/v1/httproutes?namespace=default");
        var resolved = routes["items"]![0]!["status"]!["parents"]![0]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "ResolvedRefs")!;
        Assert.Equal("False", (string?)resolved["status"]);
        Assert.Equal("BackendNotFound", (string?)resolved["reason"]);
        Assert.Contains("does-not-exist", (string?)resolved["message"]);

        // Port 81 is conflicted on both listeners: nothing is bound there.
        using var conflictedPort = new GatewayClient(weft.GatewayUri(81));
        await Assert.ThrowsAsync<HttpRequestException>(() => conflictedPort.GetAsync("same.test", "/"));

        var analyze = await WeftCli.RunAsync("analyze", "-f", workspace.Path);
        Assert.Equal(1, analyze.ExitCode);
        Assert.Contains("ProtocolConflict", analyze.Stdout);
        Assert.Contains("BackendNotFound", analyze.Stdout);
    }

    [Fact]
    public async Task A_port_already_in_use_is_reported_and_other_ports_serve()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var good = await backends.StartAsync("default", "good");
        var first = LocalWeft.NextAddressBlock();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(first), 8081);
        squatter.Start();
        workspace.Write("all.yaml", $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              addresses:
              - value: {{first}}
              listeners:
              - name: web
                protocol: HTTP
                port: 80
              - name: taken
                protocol: HTTP
                port: 81
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: fine
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - backendRefs:
                - name: good
                  port: 80
            ---

            """ + Backends.ServiceWithSlice("default", "good", 80, good));
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        var line = await weft.Process.WaitForLineAsync(l => l.Contains("error: cannot bind", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains($"{first}:8081", line);
        using var client = new GatewayClient(new Uri($"http://{first}:8080"));
        Assert.Equal("good", (await client.GetAsync("x.test", "/")).Service);

        // The proxy's NACK reaches `weft get`: Programmed=False with the bind error.
        var table = await Eventually.UntilAsync(() => weft.CliAsync("get", "gateways"), r => r.Stdout.Contains("False (Invalid)", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "Programmed=False");
        Assert.Matches(@"gw\s+weft\s+[0-9.]+\s+False \(Invalid\)", table.Stdout);
        var yaml = await weft.CliAsync("get", "gateways", "gw", "-o", "yaml");
        Assert.Contains($"cannot bind {first}:8081", yaml.Stdout);
    }
}
