using System.Runtime.InteropServices;

namespace Weft.Proxy;

/// <summary>
/// Stops the runtime's socket event threads (".NET Sockets", one per epoll loop) from preempting the
/// thread-pool worker that shares their core. Under Linux's default policy a thread that wakes (here: on
/// every socket readiness) may preempt the running one; on a saturated core an h2c connection then
/// ping-pongs between the epoll thread, which reads frames and completes upstream responses inline, and
/// the worker that runs Kestrel's HTTP/2 streams and frame writer: about one involuntary switch per two
/// requests, each interrupting the worker halfway through its batch. With SCHED_BATCH on the epoll
/// threads only, a wake-up no longer preempts; the epoll thread runs when the worker yields or its slice
/// ends, with more events per epoll_wait. Its CPU share is unchanged (SCHED_BATCH is the normal
/// time-sharing class with wake-up preemption off), and with an idle core a waking thread runs at once as
/// before. On one core, h2c at 32 streams went from 27.8 to 21.9 µs per request and p99 from 1.94 to
/// 1.42 ms (docs/performance.md, seventh round). Worker threads keep the default: making them batch too
/// was worse.
/// <para>
/// Unprivileged processes may switch their own threads between SCHED_OTHER and SCHED_BATCH, so this
/// needs no capability. <see cref="Variable"/>=normal leaves every thread as the system made it.
/// </para>
/// </summary>
public static partial class SocketThreadPolicy
{
    public const string Variable = "WEFT_SOCKET_THREAD_POLICY";

    /// <summary>The name .NET gives each socket event thread on Unix.</summary>
    public const string SocketThreadName = ".NET Sockets";

    private const int SchedBatch = 3;

    /// <summary>Whether <see cref="Apply"/> changes anything in a process with these properties.</summary>
    public static bool Enabled(bool isLinux, string? setting) =>
        isLinux && !string.Equals(setting?.Trim(), "normal", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Puts this process's socket event threads, as they are now, in SCHED_BATCH. Idempotent and cheap
    /// (one directory listing). Returns how many threads it set: 0 when the runtime has not started them
    /// yet (see <see cref="ApplyWhenStarted"/>).
    /// </summary>
    private static int Apply()
    {
        var set = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), out var tid) || !IsSocketThread(task))
                {
                    continue;
                }

                var priority = 0; // struct sched_param { int sched_priority; }: must be 0 for SCHED_BATCH
                if (SchedSetScheduler(tid, SchedBatch, ref priority) == 0)
                {
                    set++;
                }
            }
        }
        catch (IOException)
        {
            // /proc not mounted or a thread gone mid-listing: the policy is an optimisation, never a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return set;
    }

    /// <summary>
    /// Applies the policy in the background as soon as the socket event threads exist: the runtime starts
    /// them with the first socket that waits (a listener's first accept, which Kestrel issues from the thread
    /// pool after start-up returns), so a scan right after a listener starts can come too early. Polls every
    /// 20 ms for up to 10 s until it finds them, then once more 200 ms later for any still being named. The
    /// first call starts the only scan; later calls return the same task.
    /// </summary>
    public static Task ApplyWhenStarted() => s_scan.Value;

    private static readonly Lazy<Task> s_scan = new(() => Task.Run(ScanAsync));

    private static async Task ScanAsync()
    {
        if (!Enabled(OperatingSystem.IsLinux(), Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Apply() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        await Task.Delay(200).ConfigureAwait(false);
        Apply();
    }

    private static bool IsSocketThread(string taskDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(taskDirectory, "comm")).TrimEnd('\n') == SocketThreadName;
        }
        catch (IOException)
        {
            return false; // the thread exited while we looked
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SchedSetScheduler(int pid, int policy, ref int param);
}
