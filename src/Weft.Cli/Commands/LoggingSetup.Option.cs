using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Weft.Cli.Commands;

internal static partial class LoggingSetup
{
    public static Option<LogLevel> LevelOption() => new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning (default) or Error.",
        DefaultValueFactory = _ => LogLevel.Warning,
    };
}
