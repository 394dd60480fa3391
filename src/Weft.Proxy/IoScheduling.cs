namespace Weft.Proxy;

/// <summary>
/// How socket I/O is scheduled in a process that runs the proxy. By default Weft asks the runtime to
/// run socket continuations on its epoll threads (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)
/// instead of hopping to a thread-pool worker for every read and write, and the proxy's Kestrel
/// listeners run HTTP/1.1 request code inline too (<see cref="Listeners.PortServer"/>; HTTP/2 connections,
/// h2c or h2 over TLS, keep Kestrel's queued scheduling, see <see cref="Listeners.SchedulingSocketTransport"/>).
/// The request path never blocks, so each epoll thread becomes an event loop: on one core it served
/// HTTP/1.1 at 0.76–0.85 of YARP's bare forwarder's CPU per request, with a p99 near nginx's
/// (docs/performance.md). Anything
/// slow is moved off those threads (snapshot decode and compile run on the thread pool), and the
/// control plane's own Kestrel keeps dispatching its handlers to the pool.
/// An operator who sets the variable (to 0 or 1) decides; `weft` and `weft-proxy` call
/// <see cref="PreferInline"/> first thing in Main, before any socket exists (the runtime reads the
/// variable once, when its socket engine starts).
/// </summary>
public static class IoScheduling
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline socket completions on for this process unless the environment already says either way.</summary>
    public static void PreferInline()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <summary>Whether socket continuations run inline in this process (read each time, so it can never come before <see cref="PreferInline"/>).</summary>
    public static bool Inline => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";
}
