using System.CommandLine;
using Microsoft.Extensions.Logging;
using Weft.ControlPlane.Hosting;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft up -f PATH…`: the embedded default. Runs the control plane on the files (watched, hot
/// reloaded) and one gateway proxy per Gateway, each on a loopback address of its own, with every
/// listener port shifted by --port-offset (80 is served on 8080). Ctrl-C stops everything.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files(required: true);
        var offset = new Option<int>("--port-offset") { Description = "Added to every listener port (local mode).", DefaultValueFactory = _ => 8000 };
        var xdsPort = new Option<int>("--xds-port") { Description = "The distribution (gRPC) port; 0 picks a free one.", DefaultValueFactory = _ => 15010 };
        var adminPort = new Option<int>("--admin-port") { Description = "The API port `weft get/apply` use; 0 picks a free one.", DefaultValueFactory = _ => 15014 };
        var firstAddress = new Option<string>("--first-address") { Description = "The loopback address of the first Gateway; later ones count up.", DefaultValueFactory = _ => "127.0.0.1" };
        var noGateways = new Option<bool>("--no-gateways") { Description = "Run only the control plane; gateway proxies connect from elsewhere (`weft proxy`)." };
        var logLevel = LoggingSetup.LevelOption();
        var command = new Command("up", "Run Weft on this machine from YAML files: control plane and gateway proxies.") { files, offset, xdsPort, adminPort, firstAddress, noGateways, logLevel };
        var settings = new ProxySettingOptions(command);
        command.SetHandler(async (parse, ct) =>
        {
            // Before anything starts: a bad flag or WEFT_PROXY_* value is one line and exit 1, not a
            // failure inside the first gateway agent.
            var proxyOptions = settings.Read(parse);
            var paths = parse.GetValue(files)!;
            foreach (var p in paths)
            {
                if (!File.Exists(p) && !Directory.Exists(p))
                {
                    throw new CliException($"{p}: no such file or directory");
                }
            }

            using var loggers = LoggingSetup.Create(parse.GetValue(logLevel));
            var options = new ControlPlaneOptions
            {
                Paths = paths,
                PortOffset = parse.GetValue(offset),
                XdsPort = parse.GetValue(xdsPort),
                AdminPort = parse.GetValue(adminPort),
                FirstGatewayAddress = parse.GetValue(firstAddress)!,
            };
            var runtime = await LocalRuntime.StartAsync(options, loggers, parse.GetValue(noGateways) ? null : proxyOptions, Console.WriteLine, ct).ConfigureAwait(false);
            await using (runtime.ConfigureAwait(false))
            {
                Console.WriteLine("watching " + string.Join(", ", paths) + "; press Ctrl-C to stop");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("stopping");
                }
            }

            return 0;
        });
        return command;
    }
}
