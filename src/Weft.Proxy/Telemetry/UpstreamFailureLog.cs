using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Telemetry;

/// <summary>
/// One warning line per failed upstream request, carrying its response flag, and at most one line per
/// cluster and flag per second: during an outage every request fails the same way, and a line (with a
/// stack trace) per request buried the logs — 81 MB in five minutes. A line after a quiet spell says
/// how many failures it stood for; when a burst stops within the window, a timer writes that count one
/// window after the last line, so a burst always ends with its total instead of leaving it to whatever
/// failure comes next (maybe never). Stack traces are kept for exceptions that are not the network's
/// ordinary failures (those are bugs worth reading). Time and the timer come from
/// <see cref="TimeProvider"/> so tests control the window.
/// </summary>
internal sealed partial class UpstreamFailureLog(ILogger logger, TimeProvider time)
{
    /// <summary>How often a cluster and flag may log.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Cluster, string Flag), Window> _windows = new();

    public void Failed(string cluster, string destination, string route, string flag, ForwarderError error, Exception? exception)
    {
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var window = _windows.GetOrAdd((cluster, flag), static _ => new Window());
        var now = time.GetTimestamp();
        int suppressed;
        TimeSpan since;
        lock (window)
        {
            since = window.LastLogged == 0 ? TimeSpan.Zero : time.GetElapsedTime(window.LastLogged, now);
            if (window.LastLogged != 0 && since < Interval)
            {
                window.Suppressed++;
                window.Last = new Failure(destination, route, error, exception?.Message ?? error.ToString());
                // One pending flush per window, due when the window may log again.
                window.Flush ??= time.CreateTimer(static s => ((FlushState)s!).Run(), new FlushState(this, cluster, flag, window), Interval - since, Timeout.InfiniteTimeSpan);
                return;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastLogged = now;
            window.CancelFlush();
        }

        var bug = exception is not null && !IsExpected(exception);
        var reason = exception?.Message ?? error.ToString();
        if (suppressed == 0)
        {
            LogFailed(logger, flag, cluster, destination, route, error, reason, bug ? exception : null);
        }
        else
        {
            LogFailedRepeated(logger, flag, cluster, destination, route, error, reason, suppressed, Math.Round(since.TotalSeconds, 1), bug ? exception : null);
        }
    }

    // The window's suppressed failures as one line, if the next failure did not already report them.
    private void Flush(string cluster, string flag, Window window)
    {
        int suppressed;
        TimeSpan since;
        Failure last;
        lock (window)
        {
            window.CancelFlush();
            if (window.Suppressed == 0 || window.Last is null)
            {
                return;
            }

            var now = time.GetTimestamp();
            since = time.GetElapsedTime(window.LastLogged, now);
            suppressed = window.Suppressed;
            last = window.Last;
            window.Suppressed = 0;
            window.Last = null;
            // The summary counts as the window's line, so an outage still writes at most one per second.
            window.LastLogged = now;
        }

        LogSuppressed(logger, flag, cluster, suppressed, Math.Round(since.TotalSeconds, 1), last.Destination, last.Route, last.Error, last.Reason);
    }

    /// <summary>The network's ordinary failures (refused, reset, timed out, cancelled, TLS, protocol): no stack trace.</summary>
    internal static bool IsExpected(Exception exception) => exception
        is HttpRequestException
        or IOException
        or SocketException
        or OperationCanceledException
        or TimeoutException
        or AuthenticationException
        or Microsoft.AspNetCore.Http.BadHttpRequestException;

    [LoggerMessage(30, LogLevel.Warning, "upstream {Flag} cluster {Cluster} ({Destination}) route {Route}: {Error}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string flag, string cluster, string destination, string route, ForwarderError error, string reason, Exception? exception);

    [LoggerMessage(31, LogLevel.Warning, "upstream {Flag} cluster {Cluster} ({Destination}) route {Route}: {Error}: {Reason} …and {Repeats} more in the last {Seconds}s")]
    private static partial void LogFailedRepeated(ILogger logger, string flag, string cluster, string destination, string route, ForwarderError error, string reason, int repeats, double seconds, Exception? exception);

    [LoggerMessage(32, LogLevel.Warning, "upstream {Flag} cluster {Cluster}: …{Repeats} more in the last {Seconds}s, the last ({Destination}) route {Route}: {Error}: {Reason}")]
    private static partial void LogSuppressed(ILogger logger, string flag, string cluster, int repeats, double seconds, string destination, string route, ForwarderError error, string reason);

    private sealed record Failure(string Destination, string Route, ForwarderError Error, string Reason);

    private sealed record FlushState(UpstreamFailureLog Log, string Cluster, string Flag, Window Window)
    {
        public void Run() => Log.Flush(Cluster, Flag, Window);
    }

    // Guarded by its own lock.
    private sealed class Window
    {
        public long LastLogged;
        public int Suppressed;
        public Failure? Last;
        public ITimer? Flush;

        public void CancelFlush()
        {
            Flush?.Dispose();
            Flush = null;
        }
    }
}
