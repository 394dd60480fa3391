using System.Net;
using System.Text.RegularExpressions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>A gateway proxy in a process of its own, fed over the distribution stream, outlives its control plane.</summary>
[Collection("e2e")]
public sealed partial class ControlPlaneLossTests
{
    [Fact]
    public async Task Proxy_keeps_serving_when_the_control_plane_dies_and_resyncs_when_it_returns()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var one = await backends.StartAsync("default", "one");
        var two = await backends.StartAsync("default", "two");
        var address = LocalWeft.NextAddressBlock();
        workspace.Write("all.yaml", $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              addresses:
              - type: IPAddress
                value: {{address}}
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - backendRefs:
                - name: one
                  port: 80
            ---

            """ + Backends.ServiceWithSlice("default", "one", 80, one) + Backends.ServiceWithSlice("default", "two", 80, two));

        string[] upArgs = ["up", "-f", workspace.Path, "--no-gateways", "--xds-port", "0", "--admin-port", "0"];
        var controlPlane = WeftProcess.Start(upArgs);
        var banner = await controlPlane.WaitForLineAsync(l => l.Contains("distribution", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var xds = DistributionUrl().Match(banner).Groups[1].Value;
        await using var proxy = WeftProcess.Start("proxy", "--control-plane", xds, "--gateway", "default/gw");
        await proxy.WaitForLineAsync(l => l.StartsWith("serving version", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        using var client = new GatewayClient(new Uri($"http://{address}:8080"));
        Assert.Equal("one", (await client.GetAsync("a.test", "/")).Service);

        await controlPlane.KillAsync();
        await controlPlane.DisposeAsync();
        for (var i = 0; i < 50; i++)
        {
            var r = await client.GetAsync("a.test", "/");
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal("one", r.Service);
        }

        // A new control plane on the same port with changed config: the proxy reconnects (backoff) and takes it.
        workspace.Write("all.yaml", File.ReadAllText(workspace.File("all.yaml")).Replace("- name: one\n      port: 80", "- name: two\n      port: 80", StringComparison.Ordinal));
        Assert.Contains("name: two\n      port: 80", File.ReadAllText(workspace.File("all.yaml")));
        var port = new Uri(xds).Port.ToString();
        await using var again = WeftProcess.Start(["up", "-f", workspace.Path, "--no-gateways", "--xds-port", port, "--admin-port", "0"]);
        await again.WaitForLineAsync(l => l.Contains("distribution", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => client.GetAsync("a.test", "/"), r => r.Service == "two", TimeSpan.FromSeconds(15), "the proxy to take the new control plane's config");
    }

    [GeneratedRegex(@"distribution (http://127\.0\.0\.1:\d+)")]
    private static partial Regex DistributionUrl();
}
