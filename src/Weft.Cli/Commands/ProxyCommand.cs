using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft proxy --gateway NS/NAME`: a gateway proxy in a process of its own, fed by a control plane.
/// The same proxy, published NativeAOT without the rest of the CLI, is `weft-proxy` (src/Weft.ProxyHost).
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var controlPlane = new Option<string>("--control-plane") { Description = "The control plane's distribution address.", DefaultValueFactory = _ => GatewayProxyRunner.DefaultControlPlane };
        var gateway = new Option<string>("--gateway") { Description = "The Gateway to serve, as NAMESPACE/NAME.", Required = true };
        var healthPort = new Option<string?>("--health-port") { Description = "Serve GET /healthz/ready on this port (Istio's is 15021; 0 picks a free one). Off unless given.", HelpName = "PORT" };
        var healthAddress = new Option<string?>("--health-address") { Description = "The health endpoint's address (default 127.0.0.1; port 15021 unless --health-port).", HelpName = "IP" };
        var logLevel = LoggingSetup.LevelOption();
        var command = new Command("proxy", "Run a gateway proxy for one Gateway, fed by a control plane.") { controlPlane, gateway, healthPort, healthAddress, logLevel };
        var settings = new ProxySettingOptions(command);
        command.SetHandler(async (parse, ct) =>
        {
            var key = parse.GetValue(gateway)!;
            var (ns, name) = GatewayProxyRunner.ParseGateway(key) ?? throw new CliException($"--gateway \"{key}\" must be NAMESPACE/NAME");
            var url = parse.GetValue(controlPlane)!;
            var uri = GatewayProxyRunner.ParseControlPlane(url) ?? throw new CliException($"--control-plane \"{url}\" must be an http:// or https:// URL");
            var options = settings.Read(parse);
            System.Net.IPEndPoint? health;
            try
            {
                health = GatewayProxyRunner.ParseHealth(parse.GetValue(healthPort), parse.GetValue(healthAddress));
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }

            try
            {
                await GatewayProxyRunner.RunAsync(uri, ns, name, parse.GetValue(logLevel), options, health, ct).ConfigureAwait(false);
            }
            catch (ProxyStartException e)
            {
                throw new CliException(e.Message);
            }

            return 0;
        });
        return command;
    }
}
