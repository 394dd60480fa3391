using System.Net;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>
/// The getting-started's Gateway API examples, as written in samples/getting-started, served by
/// `weft up` in a child process, with echo backends as the Services' endpoints.
/// </summary>
[Collection("e2e")]
public sealed class GettingStartedTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private readonly Backends _backends = new();
    private LocalWeft _weft = null!;

    public async Task InitializeAsync()
    {
        foreach (var f in new[] { "gateways.yaml", "app-routes.yaml", "team-route.yaml" })
        {
            _workspace.CopySample(Path.Combine("samples", "getting-started", f));
        }

        var api = await _backends.StartAsync("app-namespace", "api-service");
        var v1 = await _backends.StartAsync("app-namespace", "svc-v1");
        var v2 = await _backends.StartAsync("app-namespace", "svc-v2");
        var premium = await _backends.StartAsync("app-namespace", "premium-service");
        var team = await _backends.StartAsync("team-b", "my-new-app");
        _workspace.Write("backends.yaml",
            Backends.ServiceWithSlice("app-namespace", "api-service", 8080, api)
            + Backends.ServiceWithSlice("app-namespace", "svc-v1", 80, v1)
            + Backends.ServiceWithWorkloadEntries("app-namespace", "svc-v2", 80, v2)
            + Backends.ServiceWithWorkloadEntries("app-namespace", "premium-service", 80, premium)
            + Backends.ServiceWithWorkloadEntries("team-b", "my-new-app", 80, team));
        _weft = await LocalWeft.StartAsync(_workspace.Path);
        await _weft.Process.WaitForLineAsync(l => l.StartsWith("gateway infrastructure/prod-gateway: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await _weft.Process.WaitForLineAsync(l => l.StartsWith("gateway infrastructure/internet-gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        await _weft.DisposeAsync();
        await _backends.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Path_prefix_routes_api_requests_to_the_api_service()
    {
        using var client = new GatewayClient(_weft.GatewayUri());
        var response = await client.GetAsync("example.com", "/api/users?id=7");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("api-service", response.Service);
        Assert.Equal("/api/users?id=7", response.Json!["path"]!.GetValue<string>());
        Assert.Equal("example.com", response.Json!["host"]!.GetValue<string>());
        Assert.NotNull(response.Json!["headers"]!["X-Forwarded-For"]);
        Assert.NotNull(response.Json!["headers"]!["X-Request-Id"]);
    }

    [Fact]
    public async Task Weighted_split_sends_ninety_percent_to_v1_within_three_points()
    {
        using var client = new GatewayClient(_weft.GatewayUri());
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 1000; i++)
        {
            var response = await client.GetAsync("example.com", "/");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            counts[response.Service!] = counts.GetValueOrDefault(response.Service!) + 1;
        }

        Assert.Equal(["svc-v1", "svc-v2"], counts.Keys.Order());
        Assert.InRange(counts["svc-v1"], 870, 930);
    }

    [Fact]
    public async Task Header_match_sends_premium_users_elsewhere()
    {
        using var client = new GatewayClient(_weft.GatewayUri());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("premium-service", (await client.GetAsync("example.com", "/", ("x-user-type", "premium"))).Service);
        }

        Assert.Equal("api-service", (await client.GetAsync("example.com", "/api", ("x-user-type", "premium"))).Service);
        Assert.Contains((await client.GetAsync("example.com", "/", ("x-user-type", "basic"))).Service, new[] { "svc-v1", "svc-v2" });
    }

    [Fact]
    public async Task Second_team_attaches_to_the_existing_gateway_on_its_own_address()
    {
        using var client = new GatewayClient(_weft.GatewayUri(index: 1));
        var response = await client.GetAsync("anything.test", "/my-app/index.html");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("my-new-app", response.Service);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("anything.test", "/api")).Status);

        // The other gateway does not serve the team's route.
        using var prod = new GatewayClient(_weft.GatewayUri());
        Assert.Equal(HttpStatusCode.NotFound, (await prod.GetAsync("anything.test", "/my-app")).Status);
    }

    [Fact]
    public async Task Unknown_host_gets_404()
    {
        using var client = new GatewayClient(_weft.GatewayUri());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("other.example.org", "/api")).Status);
    }

    [Fact]
    public async Task Get_gateways_prints_addresses_and_programmed()
    {
        var result = await _weft.CliAsync("get", "gateways", "-A");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^infrastructure\s+prod-gateway\s+weft\s+{System.Text.RegularExpressions.Regex.Escape(_weft.GatewayAddress(0))}\s+True\s+\d+s$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^infrastructure\s+internet-gw\s+weft\s+{System.Text.RegularExpressions.Regex.Escape(_weft.GatewayAddress(1))}\s+True\s+\d+s$"));
    }

    [Fact]
    public async Task Explain_names_listener_route_and_backend_using_the_running_config()
    {
        var result = await _weft.CliAsync("x", "explain", "--gateway", "infrastructure/prod-gateway", "GET", "http://example.com/", "-H", "x-user-type:premium");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("listener  http", result.Stdout);
        Assert.Contains("host      example.com", result.Stdout);
        Assert.Contains("route     app-namespace/canary-route rule 0", result.Stdout);
        Assert.Contains("backend   app-namespace/premium-service:80", result.Stdout);

        var miss = await _weft.CliAsync("x", "explain", "--gateway", "infrastructure/internet-gw", "GET", "http://example.com/nothing");
        Assert.Equal(2, miss.ExitCode);
        Assert.Contains("no route matched", miss.Stdout);
        Assert.Contains("PathPrefix /my-app", miss.Stdout);
    }
}
