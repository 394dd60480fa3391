using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>Options several commands share, defined once so they are spelled the same everywhere.</summary>
internal static class CommonOptions
{
    public const string DefaultServer = "http://127.0.0.1:15014";

    public static Option<string> Server() => new("--server")
    {
        Description = "The control plane's API address (env WEFT_SERVER).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("WEFT_SERVER") ?? DefaultServer,
    };

    public static Option<string[]> Files(bool required) => new("--filename", "-f")
    {
        Description = "Files or folders of YAML (multi-document); repeat for several.",
        Required = required,
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> Namespace() => new("--namespace", "-n")
    {
        Description = "The namespace (default: all for get -A, else 'default').",
    };
}
