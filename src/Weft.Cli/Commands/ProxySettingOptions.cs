using System.CommandLine;
using Weft.Proxy;

namespace Weft.Cli.Commands;

/// <summary>
/// The proxy's request-path settings (<see cref="GatewayProxyOptions.Settings"/>) as System.CommandLine
/// options, for `weft up` and `weft proxy`; `weft-proxy` parses the same table by hand. A flag overrides
/// its WEFT_PROXY_* variable; a bad value of either is a one-line error naming it, before anything starts.
/// </summary>
internal sealed class ProxySettingOptions
{
    private readonly List<(ProxySetting Setting, Option<string?> Option)> _options = [];

    public ProxySettingOptions(Command command, Func<ProxySetting, bool>? include = null)
    {
        foreach (var setting in GatewayProxyOptions.Settings)
        {
            if (include is not null && !include(setting))
            {
                continue;
            }

            var option = new Option<string?>(setting.Flag)
            {
                Description = $"{setting.Help} Env {setting.Variable}.",
                HelpName = setting.IsSwitch ? "BOOL" : setting.Value,
                // A switch alone means true; `--merge-slashes false` and `--merge-slashes=false` also work.
                Arity = setting.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            _options.Add((setting, option));
            command.Options.Add(option);
        }
    }

    /// <summary>The flags given, as flag → value (a switch alone is "true").</summary>
    public Dictionary<string, string> Given(ParseResult parse)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (setting, option) in _options)
        {
            if (parse.GetResult(option) is not null)
            {
                given[setting.Flag] = parse.GetValue(option) ?? "true";
            }
        }

        return given;
    }

    /// <summary>
    /// The settings of a proxy the user gives no flags for (`weft run` sidecars, `weft demo`): the
    /// WEFT_PROXY_* variables over <paramref name="defaults"/>; a bad value is a <see cref="CliException"/>.
    /// </summary>
    public static GatewayProxyOptions FromEnvironment(GatewayProxyOptions? defaults = null)
    {
        try
        {
            return GatewayProxyOptions.FromSettings(defaults: defaults);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>The settings of a sidecar: as any proxy's, except that it keeps its workload's x-request-id unless told otherwise.</summary>
    public static GatewayProxyOptions Sidecar() => FromEnvironment(new GatewayProxyOptions { PreserveExternalRequestId = true });

    /// <summary>The environment's settings with the flags over them; a bad value is a <see cref="CliException"/> (exit 1).</summary>
    public GatewayProxyOptions Read(ParseResult parse, GatewayProxyOptions? defaults = null)
    {
        try
        {
            return GatewayProxyOptions.FromSettings(Given(parse), defaults: defaults);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}
