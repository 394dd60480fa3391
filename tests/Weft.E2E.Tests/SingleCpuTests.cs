using System.Diagnostics;
using Weft.E2E.Tests.Infrastructure;
using Xunit;

namespace Weft.E2E.Tests;

/// <summary>
/// `weft up` on one CPU re-executes itself once with DOTNET_TC_DelaySingleProcMultiplier=1 (see
/// Weft.Proxy.SingleCpuTiering): the same process keeps its PID, arguments and output, serves, and stops on
/// Ctrl-C; an operator's own value is kept.
/// </summary>
[Collection("e2e")]
public sealed class SingleCpuTests
{
    private const string Variable = "DOTNET_TC_DelaySingleProcMultiplier";

    [Fact]
    public async Task Up_pinned_to_one_cpu_reexecutes_with_a_short_tiering_delay_and_still_serves_and_stops()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var web = await backends.StartAsync("default", "web");
        workspace.Write("gateway.yaml", Manifests.GatewayWithOneRoute);
        workspace.Write("services.yaml", Backends.ServiceWithSlice("default", "web", 80, web));

        var first = LocalWeft.NextAddressBlock();
        await using var weft = WeftProcess.Start(Pinned(null, "up", "-f", workspace.Path, "--port-offset", "8000", "--xds-port", "0", "--admin-port", "0", "--first-address", first));
        await weft.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // The process that printed that line is the one started (execve keeps the PID), now with the variable
        // and with the command line it was given.
        Assert.Equal("1", EnvironmentOf(weft.Id).GetValueOrDefault(Variable));
        var commandLine = CommandLineOf(weft.Id);
        Assert.Equal(["dotnet", WeftCli.Dll, "up", "-f", workspace.Path], commandLine[..5]);

        using var client = new GatewayClient(new Uri($"http://{first}:8080"));
        var response = await Eventually.UntilAsync(() => client.GetAsync("web.test", "/"), r => r.Service == "web", TimeSpan.FromSeconds(10), "the route to serve");
        Assert.Equal("web", response.Service);

        Assert.Equal(0, await weft.InterruptAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_operator_setting_is_kept_as_given()
    {
        using var workspace = new Workspace();
        await using var weft = WeftProcess.Start(Pinned("10", "up", "-f", workspace.Path, "--xds-port", "0", "--admin-port", "0", "--first-address", LocalWeft.NextAddressBlock()));
        await weft.WaitForLineAsync(l => l.Contains("control plane API", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("10", EnvironmentOf(weft.Id).GetValueOrDefault(Variable));
        Assert.Equal(0, await weft.InterruptAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task On_two_cpus_the_process_is_left_alone()
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine gives the tests one CPU; the case needs two");
        using var workspace = new Workspace();
        var psi = WeftCli.StartInfo("up", "-f", workspace.Path, "--xds-port", "0", "--admin-port", "0", "--first-address", LocalWeft.NextAddressBlock());
        WeftCli.ExecThrough(psi, "taskset", "-c", "0,1");
        await using var weft = WeftProcess.Start(psi);
        await weft.WaitForLineAsync(l => l.Contains("control plane API", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.False(EnvironmentOf(weft.Id).ContainsKey(Variable));
        Assert.Equal(0, await weft.InterruptAsync(TimeSpan.FromSeconds(30)));
    }

    private static ProcessStartInfo Pinned(string? value, params string[] args)
    {
        var psi = WeftCli.StartInfo(args);
        psi.Environment.Remove(Variable);
        if (value is not null)
        {
            psi.Environment[Variable] = value;
        }

        return WeftCli.ExecThrough(psi, "taskset", "-c", "0");
    }

    private static Dictionary<string, string> EnvironmentOf(int pid)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[entry[..eq]] = entry[(eq + 1)..];
            }
        }

        return result;
    }

    private static string[] CommandLineOf(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
}
