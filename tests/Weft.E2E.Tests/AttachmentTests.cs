using System.Net;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

[Collection("e2e")]
public sealed class AttachmentTests
{
    [Fact]
    public async Task Route_from_a_namespace_that_Same_does_not_allow_is_rejected_and_not_routed()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var echo = await backends.StartAsync("outsiders", "intruder");
        var own = await backends.StartAsync("edge", "own");
        workspace.Write("all.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: edge
              namespace: edge
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                protocol: HTTP
                port: 80
                allowedRoutes:
                  namespaces:
                    from: Same
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: sneaky
              namespace: outsiders
            spec:
              parentRefs:
              - name: edge
                namespace: edge
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /sneaky
                backendRefs:
                - name: intruder
                  port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: own
              namespace: edge
            spec:
              parentRefs:
              - name: edge
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /own
                backendRefs:
                - name: own
                  port: 80
            ---

            """ + Backends.ServiceWithSlice("outsiders", "intruder", 80, echo) + Backends.ServiceWithSlice("edge", "own", 80, own));
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForLineAsync(l => l.StartsWith("gateway edge/edge: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var yaml = await weft.CliAsync("get", "httproutes", "-A", "-o", "yaml");
        Assert.Equal(0, yaml.ExitCode);
        Assert.Contains("reason: NotAllowedByListeners", yaml.Stdout);
        var routes = await weft.GetJsonAsync("api/v1/httproutes");
        var sneaky = routes["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "sneaky")!;
        var accepted = sneaky["status"]!["parents"]![0]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Accepted")!;
        Assert.Equal("False", (string?)accepted["status"]);
        Assert.Equal("NotAllowedByListeners", (string?)accepted["reason"]);

        var table = await weft.CliAsync("get", "httproutes", "-n", "outsiders");
        Assert.Matches(@"sneaky\s+False \(NotAllowedByListeners\)", table.Stdout);

        using var client = new GatewayClient(weft.GatewayUri());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("example.com", "/sneaky")).Status);
        Assert.Equal("own", (await client.GetAsync("example.com", "/own")).Service);
    }
}
