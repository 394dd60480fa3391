namespace Weft.Proxy;

/// <summary>
/// How socket I/O is scheduled in a process that runs the proxy. With
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 in its environment the runtime runs socket
/// continuations on its epoll threads instead of hopping to a thread-pool worker for every read and
/// write, and the proxy's Kestrel listeners then run request code inline too
/// (<see cref="Listeners.PortServer"/>). The request path never blocks, so each epoll thread becomes an
/// event loop: on one core it served HTTP/1.1 at 0.76–0.85 of YARP's bare forwarder's CPU per request
/// with a p99 near nginx's (docs/performance.md). The control plane's own Kestrel keeps dispatching its
/// handlers to the pool. Opt-in for now; docs/performance.md says why.
/// </summary>
public static class IoScheduling
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether socket continuations run inline in this process (the runtime reads the variable once, at its first socket).</summary>
    public static bool Inline => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";
}
