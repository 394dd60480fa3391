using System.Net;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

[Collection("e2e")]
public sealed class CliTests
{
    [Fact]
    public async Task Version_without_a_control_plane_says_none_is_running()
    {
        var result = await WeftCli.RunAsync("version", "--server", "http://127.0.0.1:1");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"client version: \d+\.\d+\.\d+", result.Stdout);
        Assert.Contains("control plane: none running at http://127.0.0.1:1", result.Stdout);
    }

    [Fact]
    public async Task Get_without_a_control_plane_is_one_clear_error()
    {
        var result = await WeftCli.RunAsync("get", "gateways", "--server", "http://127.0.0.1:1");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: no Weft control plane answers at http://127.0.0.1:1", result.Stderr);
    }

    [Fact]
    public async Task Apply_and_delete_change_a_running_up_and_version_reports_it()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var echo = await backends.StartAsync("default", "late");
        workspace.Write("gateway.yaml", """
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
            """);
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var version = await weft.CliAsync("version");
        Assert.Matches(@"control plane version: \d+\.\d+\.\d+", version.Stdout);

        using var client = new GatewayClient(weft.GatewayUri());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("late.test", "/")).Status);

        var manifest = Path.Combine(workspace.Path, "..", Path.GetFileName(workspace.Path) + "-late.yaml");
        await File.WriteAllTextAsync(manifest, Backends.ServiceWithSlice("default", "late", 80, echo) + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: late
              namespace: default
            spec:
              parentRefs:
              - name: gw
              hostnames: ["late.test"]
              rules:
              - backendRefs:
                - name: late
                  port: 80
            """);
        try
        {
            var apply = await weft.CliAsync("apply", "-f", manifest);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Contains("httproute.gateway.networking.k8s.io/late -n default created", apply.Stdout);
            await Eventually.UntilAsync(() => client.GetAsync("late.test", "/"), r => r.Service == "late", TimeSpan.FromSeconds(5), "the applied route to serve");

            var again = await weft.CliAsync("apply", "-f", manifest);
            Assert.Contains("httproute.gateway.networking.k8s.io/late -n default unchanged", again.Stdout);

            var table = await weft.CliAsync("get", "httproutes");
            Assert.Matches(@"late\s+late\.test\s+True\s+\d+s", table.Stdout);

            var delete = await weft.CliAsync("delete", "-f", manifest);
            Assert.Contains("httproute.gateway.networking.k8s.io/late -n default deleted", delete.Stdout);
            await Eventually.UntilAsync(() => client.GetAsync("late.test", "/"), r => r.Status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(5), "the deleted route to stop serving");
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    [Fact]
    public async Task Apply_of_a_bad_file_names_file_line_and_field_and_changes_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"weft-bad-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              gatewayClassName: weft
              listeners:
              - name: http
                protocol: HTTP
                port: eighty
            """);
        try
        {
            var result = await WeftCli.RunAsync("apply", "-f", file, "--server", "http://127.0.0.1:1");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{file}:10:", result.Stderr);
            Assert.Contains("spec.listeners[0].port", result.Stderr);
            Assert.Contains("Gateway/gw", result.Stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
