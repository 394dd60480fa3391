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
/// how many failures it stood for. Stack traces are kept for exceptions that are not the network's
/// ordinary failures (those are bugs worth reading). Time comes from <see cref="TimeProvider"/> so
/// tests control the window.
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
                return;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastLogged = now;
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

    private sealed class Window
    {
        public long LastLogged;
        public int Suppressed;
    }
}
