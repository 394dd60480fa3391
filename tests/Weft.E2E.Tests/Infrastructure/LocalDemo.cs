using System.Net;
using System.Text.RegularExpressions;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>`weft demo` as a child process on its own ports, with its workloads' process ids.</summary>
internal sealed partial class LocalDemo : IAsyncDisposable
{
    private static int s_next = Environment.ProcessId % 50;

    private LocalDemo(WeftProcess process, Uri admin, Uri gateway, TimeSpan startup)
    {
        Process = process;
        Admin = admin;
        Gateway = gateway;
        Startup = startup;
    }

    public WeftProcess Process { get; }
    public Uri Admin { get; }

    /// <summary>http://127.0.0.1:PORT/ of the Bookinfo gateway.</summary>
    public Uri Gateway { get; }

    /// <summary>From process start to the first 200 from /productpage.</summary>
    public TimeSpan Startup { get; }

    public static async Task<LocalDemo> StartAsync()
    {
        var offset = 20000 + 100 * (Interlocked.Increment(ref s_next) % 400);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var process = WeftProcess.Start("demo", "--port-offset", offset.ToString(), "--xds-port", "0", "--admin-port", "0");
        var banner = await process.WaitForLineAsync(l => l.Contains("control plane API", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var admin = new Uri(AdminUrl().Match(banner).Value);
        await process.WaitForLineAsync(l => l.StartsWith("Bookinfo is up: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var gateway = new Uri($"http://127.0.0.1:{80 + offset}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.UntilAsync(async () => (await http.GetAsync(new Uri(gateway, "productpage"))).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the product page");
        return new LocalDemo(process, admin, gateway, started.Elapsed);
    }

    public Task<CliResult> CliAsync(params string[] args) => WeftCli.RunAsync([.. args, "--server", Admin.ToString()]);

    /// <summary>The process ids of the demo's workloads, by the Bookinfo dll each runs (from /proc).</summary>
    public Dictionary<int, string> WorkloadProcesses()
    {
        var result = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (ppid == Process.Id && cmdline.Contains("Weft.Bookinfo.", StringComparison.Ordinal))
                {
                    result[pid] = cmdline;
                }
            }
            catch (IOException)
            {
            }
        }

        return result;
    }

    public void Kill(string dll)
    {
        foreach (var (pid, cmdline) in WorkloadProcesses())
        {
            if (cmdline.Contains(dll, StringComparison.Ordinal))
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex AdminUrl();
}
