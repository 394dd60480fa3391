using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

[Collection("e2e")]
public sealed class HotReloadTests(ITestOutputHelper output)
{
    private static string Route(string backend) => $"""
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
            - name: {backend}
              port: 80
        """;

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
        """;

    [Fact]
    public async Task Editing_a_route_file_switches_traffic_within_a_second_with_no_failed_request()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var blue = await backends.StartAsync("default", "blue");
        var green = await backends.StartAsync("default", "green");
        workspace.Write("gateway.yaml", Gateway);
        workspace.Write("services.yaml", Backends.ServiceWithSlice("default", "blue", 80, blue) + Backends.ServiceWithSlice("default", "green", 80, green));
        workspace.Write("route.yaml", Route("blue"));
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        using var client = new GatewayClient(weft.GatewayUri());
        await Eventually.UntilAsync(() => client.GetAsync("web.test", "/"), r => r.Service == "blue", TimeSpan.FromSeconds(10), "blue to serve");

        // Two clients send continuously while the file changes under them.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var total = 0;
        long switchedAt = 0;
        var writtenAt = 0L;
        async Task LoadAsync()
        {
            using var c = new GatewayClient(weft.GatewayUri());
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var r = await c.GetAsync("web.test", "/");
                    Interlocked.Increment(ref total);
                    if (r.Status != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add(r.ToString());
                        }
                    }
                    else if (r.Service == "green")
                    {
                        Interlocked.CompareExchange(ref switchedAt, Stopwatch.GetTimestamp(), 0);
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (failures)
                    {
                        failures.Add(e.Message);
                    }
                }
            }
        }

        var load = new[] { LoadAsync(), LoadAsync() };
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref total)), n => n > 50, TimeSpan.FromSeconds(10), "traffic to flow");
        writtenAt = Stopwatch.GetTimestamp();
        workspace.Write("route.yaml", Route("green"));
        await Eventually.UntilAsync(() => Task.FromResult(Interlocked.Read(ref switchedAt)), t => t != 0, TimeSpan.FromSeconds(5), "green to serve");
        var switchTime = Stopwatch.GetElapsedTime(writtenAt, Interlocked.Read(ref switchedAt));
        var before = Volatile.Read(ref total);
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref total)), n => n > before + 50, TimeSpan.FromSeconds(10), "traffic after the switch");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"file write → first response from the new backend: {switchTime.TotalMilliseconds:0} ms; {Volatile.Read(ref total)} requests, {failures.Count} failed");
        Assert.Empty(failures);
        Assert.True(switchTime < TimeSpan.FromSeconds(1), $"switch took {switchTime.TotalMilliseconds:0} ms");
        Assert.Equal("green", (await client.GetAsync("web.test", "/")).Service);
    }

    [Fact]
    public async Task A_broken_edit_keeps_the_last_good_version_serving_and_names_file_and_line()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var blue = await backends.StartAsync("default", "blue");
        workspace.Write("gateway.yaml", Gateway);
        workspace.Write("services.yaml", Backends.ServiceWithSlice("default", "blue", 80, blue));
        var routeFile = workspace.Write("route.yaml", Route("blue"));
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        await weft.Process.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        using var client = new GatewayClient(weft.GatewayUri());
        await Eventually.UntilAsync(() => client.GetAsync("web.test", "/"), r => r.Service == "blue", TimeSpan.FromSeconds(10), "blue to serve");

        // A tab-indented, unterminated edit: not YAML at all.
        workspace.Write("route.yaml", Route("blue").Replace("  rules:", "  rules: [\n\t- oops", StringComparison.Ordinal));
        await weft.Process.WaitForStderrAsync("WEFT0001", TimeSpan.FromSeconds(5));
        Assert.Contains(routeFile + ":", weft.Process.Stderr);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("blue", (await client.GetAsync("web.test", "/")).Service);
        }

        // An unknown kind and an unknown field in a new file: reported, and nothing else changes.
        var extra = workspace.Write("extra.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoot
            metadata:
              name: typo
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: other
            spec:
              parentRefs:
              - name: gw
              rulez: []
            """);
        await weft.Process.WaitForStderrAsync("WEFT0002", TimeSpan.FromSeconds(5));
        await weft.Process.WaitForStderrAsync("WEFT0003", TimeSpan.FromSeconds(5));
        Assert.Contains($"{extra}:2", weft.Process.Stderr);
        Assert.Contains("rulez", weft.Process.Stderr);
        Assert.Equal("blue", (await client.GetAsync("web.test", "/")).Service);
        var get = await weft.CliAsync("get", "httproutes");
        Assert.Equal(0, get.ExitCode);
        Assert.DoesNotContain("other", get.Stdout);
    }
}
