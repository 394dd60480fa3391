using System.Net;
using Microsoft.Extensions.Logging;
using Weft.Cli.Commands;
using Weft.Proxy;

namespace Weft.ProxyHost;

/// <summary>
/// weft-proxy's command line, parsed by hand (no System.CommandLine in the NativeAOT host): the same
/// options and defaults as `weft proxy`, the request-path settings from the same table
/// (<see cref="GatewayProxyOptions.Settings"/>), a flag over its WEFT_PROXY_* variable. Bad arguments or
/// settings are a <see cref="UsageException"/> (exit code 2).
/// </summary>
internal sealed record ProxyArguments(Uri ControlPlane, string GatewayNamespace, string GatewayName, LogLevel LogLevel, GatewayProxyOptions Options, IPEndPoint? Health)
{
    public static string Usage { get; } = """
        weft-proxy: a Weft gateway proxy for one Gateway, fed by a control plane (`weft up --no-gateways`).

        Usage: weft-proxy --gateway NAMESPACE/NAME [--control-plane URL] [--log-level LEVEL] [OPTIONS]

        Options:
          --gateway NAMESPACE/NAME  The Gateway to serve (required).
          --control-plane URL       The control plane's distribution address (default http://127.0.0.1:15010).
          --health-port PORT        Serve GET /healthz/ready on this port (Istio's is 15021; 0 picks a free one). Off unless given.
          --health-address IP       The health endpoint's address (default 127.0.0.1; port 15021 unless --health-port).
          --log-level LEVEL         Trace, Debug, Information, Warning (default), Error, Critical or None.
          --version                 Print the version.
          -h, --help                Print this help.

        Request-path settings (a flag overrides its environment variable):
        """ + string.Concat(GatewayProxyOptions.Settings.Select(s =>
            $"\n  {(s.Flag + " " + s.Value).PadRight(28)} {s.Help} Env {s.Variable}."));

    /// <summary>Null when the command line asks for help or the version (<paramref name="print"/> is what to print).</summary>
    /// <param name="read">The environment (WEFT_PROXY_* variables); null for the process's.</param>
    public static ProxyArguments? Parse(IReadOnlyList<string> args, out string? print, Func<string, string?>? read = null)
    {
        print = null;
        string? gateway = null, controlPlane = null, logLevel = null, healthPort = null, healthAddress = null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    print = Usage;
                    return null;
                case "--version":
                    print = Weft.Ir.WeftVersion.Current;
                    return null;
            }

            // --name VALUE or --name=VALUE
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            var name = eq > 0 ? arg[..eq] : arg;
            var setting = GatewayProxyOptions.Settings.FirstOrDefault(s => s.Flag == name);
            if (setting is not null)
            {
                if (settings.ContainsKey(name))
                {
                    throw new UsageException($"{name} is given twice");
                }

                // A switch alone means true (as System.CommandLine reads `weft proxy --merge-slashes`).
                settings[name] = eq > 0 ? arg[(eq + 1)..]
                    : i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                    : setting.IsSwitch ? "true"
                    : throw new UsageException($"{name} needs a value");
                continue;
            }

            ref var target = ref gateway;
            switch (name)
            {
                case "--gateway":
                    break;
                case "--control-plane":
                    target = ref controlPlane;
                    break;
                case "--log-level":
                    target = ref logLevel;
                    break;
                case "--health-port":
                    target = ref healthPort;
                    break;
                case "--health-address":
                    target = ref healthAddress;
                    break;
                default:
                    throw new UsageException(arg.StartsWith('-') ? $"unknown option {name}" : $"unexpected argument \"{arg}\"");
            }

            if (target is not null)
            {
                throw new UsageException($"{name} is given twice");
            }

            if (eq > 0)
            {
                target = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                target = args[++i];
            }
            else
            {
                throw new UsageException($"{name} needs a value");
            }
        }

        if (gateway is null)
        {
            throw new UsageException("--gateway NAMESPACE/NAME is required");
        }

        var (ns, gatewayName) = GatewayProxyRunner.ParseGateway(gateway)
            ?? throw new UsageException($"--gateway \"{gateway}\" must be NAMESPACE/NAME");
        controlPlane ??= GatewayProxyRunner.DefaultControlPlane;
        var uri = GatewayProxyRunner.ParseControlPlane(controlPlane)
            ?? throw new UsageException($"--control-plane \"{controlPlane}\" must be an http:// or https:// URL");
        var level = logLevel?.ToLowerInvariant() switch
        {
            null or "warning" => LogLevel.Warning,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" => LogLevel.Information,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => throw new UsageException($"--log-level \"{logLevel}\" must be Trace, Debug, Information, Warning, Error, Critical or None"),
        };

        try
        {
            var health = GatewayProxyRunner.ParseHealth(healthPort, healthAddress);
            return new ProxyArguments(uri, ns, gatewayName, level, GatewayProxyOptions.FromSettings(settings, read), health);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>A command line weft-proxy cannot run with: "error: MESSAGE" on stderr and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
