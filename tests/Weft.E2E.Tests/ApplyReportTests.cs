using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>`weft apply`/`delete`/`get`/`analyze` as a user runs them: partial applies, warnings, SOURCE, invalid UTF-8.</summary>
[Collection("e2e")]
public sealed class ApplyReportTests
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
        spec:
          ports:
          - port: 80

        """;

    private const string Mixed = Service + """
        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata:
          name: mesh-default
          namespace: istio-system
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: deny-all
          namespace: default
        spec: {}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: broken
          namespace: default
        spec:
          ports:
          - port: eighty
        """;

    [Fact]
    public async Task Apply_of_a_partly_invalid_file_applies_the_rest_reports_each_problem_and_exits_1()
    {
        using var workspace = new Workspace();
        workspace.Write("gw.yaml", Manifests.GatewayWithOneRoute);
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        using var other = new Workspace();
        var file = other.Write("mixed.yaml", Mixed);

        var apply = await weft.CliAsync("apply", "-f", file);
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("service/web -n default created", apply.Stdout);
        Assert.Contains($"{file}:30:11: error WEFT0004", apply.Stderr);
        Assert.Contains("error WEFT0004: Service/default/broken: spec.ports[0].port", apply.Stderr);
        Assert.Contains("warning WEFT0014", apply.Stderr);
        Assert.Contains("telemetry settings (tracing, metrics, access logging) are ignored", apply.Stderr);
        Assert.Contains("warning WEFT0013", apply.Stderr);
        Assert.Contains("NOT enforced", apply.Stderr);
        Assert.Contains($"error: {file}: 1 document was refused; the others were applied", apply.Stderr);

        var get = await weft.CliAsync("get", "services", "-o", "wide");
        Assert.Matches(@"web\s+ClusterIP\s+.*\s+api\s*$", get.Stdout.Split('\n').Single(l => l.StartsWith("web ", StringComparison.Ordinal)));

        var delete = await weft.CliAsync("delete", "-f", file);
        Assert.True(delete.ExitCode == 1, delete.ToString());
        Assert.Contains("service/web -n default deleted", delete.Stdout);
    }

    [Fact]
    public async Task Apply_prints_the_translator_warnings_and_failing_conditions_of_what_it_applied()
    {
        using var workspace = new Workspace();
        workspace.Write("gw.yaml", Manifests.GatewayWithOneRoute);
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        using var other = new Workspace();
        var file = other.Write("route.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: lost
              namespace: default
            spec:
              parentRefs:
              - name: no-such-gateway
              rules:
              - backendRefs:
                - name: no-such-service
                  port: 80
            """);

        var apply = await weft.CliAsync("apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("httproute.gateway.networking.k8s.io/lost -n default created", apply.Stdout);
        Assert.Contains("warning: httproute.gateway.networking.k8s.io/lost -n default (parents[no-such-gateway]): Accepted=False", apply.Stderr);
    }

    [Fact]
    public async Task Get_wide_says_where_each_object_came_from_and_a_delete_of_a_file_object_holds_until_the_file_changes()
    {
        using var workspace = new Workspace();
        var watched = workspace.Write("svc.yaml", Service);
        await using var weft = await LocalWeft.StartAsync(workspace.Path);

        var get = await weft.CliAsync("get", "services", "-o", "wide");
        Assert.Contains("SOURCE", get.Stdout);
        Assert.Contains($"file {watched}:1", get.Stdout);
        var narrow = await weft.CliAsync("get", "services");
        Assert.DoesNotContain("SOURCE", narrow.Stdout);

        using var other = new Workspace();
        var applied = other.Write("svc.yaml", Service);
        var apply = await weft.CliAsync("apply", "-f", applied);
        Assert.Contains($"warning: service/web -n default: it now overrides the one in {watched}:1", apply.Stderr);

        var delete = await weft.CliAsync("delete", "-f", applied);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains($"stays hidden until that file changes it", delete.Stderr);
        Assert.Contains("No resources found", (await weft.CliAsync("get", "services")).Stderr);

        File.WriteAllText(watched, Service.Replace("port: 80", "port: 8080", StringComparison.Ordinal));
        await Eventually.UntilAsync(() => weft.CliAsync("get", "services", "-o", "wide"), r => r.Stdout.Contains("8080/TCP", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the edited file to re-assert the deleted Service");
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_by_apply_analyze_and_the_file_source_naming_line_and_offset()
    {
        using var workspace = new Workspace();
        var bad = workspace.File("latin1.yaml");
        // "café" written in Latin-1: 0xE9 alone is not UTF-8.
        File.WriteAllBytes(bad, [.. "apiVersion: v1\nkind: Service\nmetadata:\n  name: caf"u8, 0xE9, .. "\nspec:\n  ports:\n  - port: 80\n"u8]);

        var analyze = await WeftCli.RunAsync("analyze", "-f", bad);
        Assert.Equal(1, analyze.ExitCode);
        Assert.Contains("WEFT0012", analyze.Stdout + analyze.Stderr);
        Assert.Contains("byte 0xE9 at byte offset 50 (line 4, column 12)", analyze.Stdout + analyze.Stderr);

        var apply = await WeftCli.RunAsync("apply", "-f", bad, "--server", "http://127.0.0.1:1");
        Assert.Equal(1, apply.ExitCode);
        Assert.Contains($"{bad}:4:12: error WEFT0012", apply.Stderr);

        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForStderrAsync($"{bad}:4:12: error WEFT0012: invalid UTF-8: byte 0xE9 at byte offset 50", TimeSpan.FromSeconds(10));
        Assert.Contains("No resources found", (await weft.CliAsync("get", "services")).Stderr);
    }
}
