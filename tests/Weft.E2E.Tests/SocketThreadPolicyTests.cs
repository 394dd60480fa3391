using System.Diagnostics;
using Weft.E2E.Tests.Infrastructure;
using Xunit;

namespace Weft.E2E.Tests;

/// <summary>
/// A serving `weft up` puts its socket event threads (".NET Sockets") in SCHED_BATCH, so that their
/// wake-ups stop preempting the worker on a shared core, and leaves every other thread as it was (see
/// Weft.Proxy.SocketThreadPolicy); WEFT_SOCKET_THREAD_POLICY=normal leaves them all alone.
/// </summary>
[Collection("e2e")]
public sealed class SocketThreadPolicyTests
{
    private const int SchedOther = 0;
    private const int SchedBatch = 3;

    [Fact]
    public async Task Socket_event_threads_run_batch_and_every_other_thread_keeps_the_default()
    {
        await using var run = await ServingAsync(policy: null);

        var threads = await Eventually.UntilAsync(
            () => Task.FromResult(ThreadsOf(run.Weft.Id)),
            t => t.Any(x => x.Name == ".NET Sockets") && t.Where(x => x.Name == ".NET Sockets").All(x => x.Policy == SchedBatch),
            TimeSpan.FromSeconds(10),
            "the socket event threads to run SCHED_BATCH");

        var others = threads.Where(t => t.Name != ".NET Sockets").ToList();
        Assert.Contains(others, t => t.Name == ".NET TP Worker");
        Assert.All(others, t => Assert.True(t.Policy == SchedOther, $"thread {t.Id} '{t.Name}' has policy {t.Policy}"));

        // Still serving after the change.
        var again = await run.Client.GetAsync("web.test", "/");
        Assert.Equal("web", again.Service);
    }

    [Fact]
    public async Task Normal_leaves_the_socket_event_threads_as_the_system_made_them()
    {
        await using var run = await ServingAsync(policy: "normal");

        // Nothing announces that no change will come, so watch for one a while: the case above sees its
        // change within tens of milliseconds of the first request.
        var watchUntil = Stopwatch.StartNew();
        while (watchUntil.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            var threads = ThreadsOf(run.Weft.Id);
            Assert.Contains(threads, t => t.Name == ".NET Sockets");
            Assert.All(threads, t => Assert.True(t.Policy == SchedOther, $"thread {t.Id} '{t.Name}' has policy {t.Policy}"));
            await Task.Delay(100);
        }
    }

    private static async Task<Serving> ServingAsync(string? policy)
    {
        var workspace = new Workspace();
        var backends = new Backends();
        var web = await backends.StartAsync("default", "web");
        workspace.Write("gateway.yaml", Manifests.GatewayWithOneRoute);
        workspace.Write("services.yaml", Backends.ServiceWithSlice("default", "web", 80, web));

        var first = LocalWeft.NextAddressBlock();
        var psi = WeftCli.StartInfo("up", "-f", workspace.Path, "--port-offset", "8000", "--xds-port", "0", "--admin-port", "0", "--first-address", first);
        psi.Environment.Remove("WEFT_SOCKET_THREAD_POLICY");
        if (policy is not null)
        {
            psi.Environment["WEFT_SOCKET_THREAD_POLICY"] = policy;
        }

        var weft = WeftProcess.Start(psi);
        await weft.WaitForLineAsync(l => l.StartsWith("gateway default/gw: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var client = new GatewayClient(new Uri($"http://{first}:8080"));
        await Eventually.UntilAsync(() => client.GetAsync("web.test", "/"), r => r.Service == "web", TimeSpan.FromSeconds(10), "the route to serve");
        return new Serving(workspace, backends, weft, client);
    }

    private sealed record Serving(Workspace Workspace, Backends Backends, WeftProcess Weft, GatewayClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            Assert.Equal(0, await Weft.InterruptAsync(TimeSpan.FromSeconds(30)));
            await Weft.DisposeAsync();
            await Backends.DisposeAsync();
            Workspace.Dispose();
        }
    }

    private sealed record ThreadInfo(int Id, string Name, int Policy);

    /// <summary>Each thread of <paramref name="pid"/> with its name and scheduling policy (field 41 of its stat).</summary>
    private static List<ThreadInfo> ThreadsOf(int pid)
    {
        var result = new List<ThreadInfo>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                var stat = File.ReadAllText(Path.Combine(task, "stat"));

                // The name in field 2 may hold spaces and parentheses; the fields after it start at the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                result.Add(new ThreadInfo(int.Parse(Path.GetFileName(task)), name, int.Parse(fields[41 - 3])));
            }
            catch (IOException)
            {
                // The thread exited between the listing and the read.
            }
        }

        return result;
    }
}
