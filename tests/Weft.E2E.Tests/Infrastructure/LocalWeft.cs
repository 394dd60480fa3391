using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>
/// A `weft up` child process on its own loopback block (so tests run side by side) with free
/// control-plane ports, plus helpers to reach its gateways and its API.
/// </summary>
internal sealed partial class LocalWeft : IAsyncDisposable
{
    private static int s_block = Environment.ProcessId % 200;

    private LocalWeft(WeftProcess process, string firstAddress, Uri admin, int portOffset)
    {
        Process = process;
        FirstAddress = firstAddress;
        Admin = admin;
        PortOffset = portOffset;
    }

    public WeftProcess Process { get; }
    public string FirstAddress { get; }
    public Uri Admin { get; }
    public int PortOffset { get; }

    /// <summary>Gives each caller its own 127.x.y.0/24 block; the first Gateway gets .1.</summary>
    public static string NextAddressBlock()
    {
        var n = Interlocked.Increment(ref s_block);
        return $"127.{100 + (n / 250) % 100}.{n % 250}.1";
    }

    public static async Task<LocalWeft> StartAsync(string path, params string[] extra)
    {
        var first = NextAddressBlock();
        const int offset = 8000;
        string[] args = ["up", "-f", path, "--port-offset", offset.ToString(), "--xds-port", "0", "--admin-port", "0", "--first-address", first, .. extra];
        var process = WeftProcess.Start(args);
        var line = await process.WaitForLineAsync(l => l.Contains("control plane API", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var admin = new Uri(AdminUrl().Match(line).Value);
        return new LocalWeft(process, first, admin, offset);
    }

    /// <summary>The address of the n-th Gateway (0-based) in order of first sight.</summary>
    public string GatewayAddress(int index = 0)
    {
        var parts = FirstAddress.Split('.');
        return $"{parts[0]}.{parts[1]}.{parts[2]}.{int.Parse(parts[3]) + index}";
    }

    public Uri GatewayUri(int listenerPort = 80, int index = 0) => new($"http://{GatewayAddress(index)}:{listenerPort + PortOffset}");

    public Task<CliResult> CliAsync(params string[] args) => WeftCli.RunAsync([.. args, "--server", Admin.ToString()]);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Admin };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Weft.Identity.LocalCredential.ReadForClient());
        return (await http.GetFromJsonAsync<JsonNode>(path))!;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex AdminUrl();
}
