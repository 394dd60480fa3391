using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>
/// The proxy's host settings as `weft` takes them: flags and WEFT_PROXY_* variables checked before
/// anything starts, `weft proxy`'s readiness flip and drain at SIGTERM, and `weft x explain` routing
/// the path the proxy routes (normalized by the same code).
/// </summary>
[Collection("e2e")]
public sealed class ProxySettingsTests
{
    [Theory]
    [InlineData(new[] { "up", "-f", ".", "--drain-timeout", "soon" }, null, "--drain-timeout \"soon\" must be a duration such as 15s, 500ms or 2m")]
    [InlineData(new[] { "up", "-f", ".", "--max-request-body", "10Q" }, null, "--max-request-body \"10Q\" must be a number of bytes, optionally with K, M or G (1M = 1048576)")]
    [InlineData(new[] { "up", "-f", "." }, "WEFT_PROXY_ROUTE_TIMEOUT=forever", "WEFT_PROXY_ROUTE_TIMEOUT=\"forever\" must be a duration such as 15s, 500ms or 2m")]
    [InlineData(new[] { "proxy", "--gateway", "a/b", "--escaped-slashes", "drop" }, null, "--escaped-slashes \"drop\" must be KEEP_UNCHANGED, REJECT_REQUEST, UNESCAPE_AND_REDIRECT or UNESCAPE_AND_FORWARD")]
    [InlineData(new[] { "proxy", "--gateway", "a/b" }, "WEFT_PROXY_PRESERVE_EXTERNAL_REQUEST_ID=maybe", "WEFT_PROXY_PRESERVE_EXTERNAL_REQUEST_ID=\"maybe\" must be true or false")]
    [InlineData(new[] { "proxy", "--gateway", "a/b", "--health-port", "99999" }, null, "--health-port \"99999\" must be a port number (0 picks a free one)")]
    public async Task A_bad_proxy_setting_is_one_line_and_exit_1_before_anything_starts(string[] args, string? environment, string message)
    {
        var psi = WeftCli.StartInfo(args);
        if (environment is not null)
        {
            var eq = environment.IndexOf('=', StringComparison.Ordinal);
            psi.Environment[environment[..eq]] = environment[(eq + 1)..];
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        var result = new CliResult(process.ExitCode, await stdout, await stderr);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"error: {message}\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Weft_proxy_turns_unready_then_drains_in_flight_requests_at_SIGTERM() =>
        await DrainScenario.RunAsync(args => WeftProcess.Start(["proxy", .. args]), LocalWeft.NextAddressBlock());

    [Fact]
    public async Task A_taken_health_port_is_one_line_naming_the_flag()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await WeftCli.RunAsync("proxy", "--gateway", "a/b", "--control-plane", "http://127.0.0.1:9", "--health-port", port);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"error: --health-port {port}: cannot listen on 127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("http://example.com/public/../admin", "default/admin", "/admin", null)]
    [InlineData("http://example.com/public/%2e%2e/admin", "default/admin", "/admin", null)]
    [InlineData("http://example.com/api/..;/admin", "default/api", null, null)]
    // Escaped slashes as the proxy is told to treat them: kept (one segment, under /public) by default,
    // unescaped and then normalized with the setting, from the variable or the flag.
    [InlineData("http://example.com/public/..%2Fadmin", "default/public", null, null)]
    [InlineData("http://example.com/public/..%2Fadmin", "default/admin", "/admin", "WEFT_PROXY_ESCAPED_SLASHES=UNESCAPE_AND_FORWARD")]
    [InlineData("http://example.com/public/..%2Fadmin", "default/admin", "/admin", "--escaped-slashes=UNESCAPE_AND_FORWARD")]
    [InlineData("http://example.com/public//admin", "default/public", "/public/admin", "--merge-slashes")]
    public async Task Explain_routes_the_path_the_proxy_routes(string url, string route, string? normalized, string? setting)
    {
        using var workspace = new Workspace();
        workspace.Write("config.yaml", Manifests.Gateway("gw", 80) + "\n---\n" + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: admin
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /admin
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: api
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /api
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: public
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /public

            """);
        string[] args = ["x", "explain", "--gateway", "default/gw", "-f", workspace.File("config.yaml"), "GET", url];
        var psi = WeftCli.StartInfo(setting is not null && setting.StartsWith("--", StringComparison.Ordinal) ? [.. args, setting] : args);
        if (setting is not null && !setting.StartsWith("--", StringComparison.Ordinal))
        {
            psi.Environment[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        var result = new CliResult(process.ExitCode, await stdout, await stderr);
        Assert.True(result.ExitCode == 0, result.ToString());
        // The request as typed, not System.Uri's canonical form of it.
        Assert.StartsWith($"request   GET {url}\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"route     {route} rule 0", result.Stdout, StringComparison.Ordinal);
        if (normalized is null)
        {
            Assert.DoesNotContain("\npath ", result.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"\npath      {normalized} (normalized; routed and forwarded)\n", result.Stdout, StringComparison.Ordinal);
        }
    }
}
