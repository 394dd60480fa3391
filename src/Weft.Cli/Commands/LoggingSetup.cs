using Microsoft.Extensions.Logging;

namespace Weft.Cli.Commands;

/// <summary>
/// How Weft's commands log. This file holds no System.CommandLine code: the NativeAOT `weft-proxy`
/// (src/Weft.ProxyHost) compiles it too, so both proxies log alike. The --log-level option is in
/// LoggingSetup.Option.cs.
/// </summary>
internal static partial class LoggingSetup
{
    /// <summary>Console logging on stderr, so stdout carries only what the command prints for people and scripts.</summary>
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(b => b
        .SetMinimumLevel(level)
        .AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning)
        .AddFilter("Grpc", level > LogLevel.Warning ? level : LogLevel.Warning)
        // Start-up failures (a port in use) are reported by the command in one line.
        .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
        // Kestrel warns that cleartext HTTP/2 needs TLS; the proxy serves h2c with prior knowledge
        // itself (Listeners/H2cPriorKnowledge), so the warning is not true for Weft's listeners.
        .AddFilter("Microsoft.AspNetCore.Server.Kestrel", level > LogLevel.Error ? level : LogLevel.Error)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        }));
}
