using System.CommandLine;
using Weft.Proxy.Distribution;

namespace Weft.Cli.Commands;

/// <summary>`weft proxy --gateway NS/NAME`: a gateway proxy in a process of its own, fed by a control plane.</summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var controlPlane = new Option<string>("--control-plane") { Description = "The control plane's distribution address.", DefaultValueFactory = _ => "http://127.0.0.1:15010" };
        var gateway = new Option<string>("--gateway") { Description = "The Gateway to serve, as NAMESPACE/NAME.", Required = true };
        var logLevel = LoggingSetup.LevelOption();
        var command = new Command("proxy", "Run a gateway proxy for one Gateway, fed by a control plane.") { controlPlane, gateway, logLevel };
        command.SetHandler(async (parse, ct) =>
        {
            var key = parse.GetValue(gateway)!;
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == key.Length - 1)
            {
                throw new CliException($"--gateway \"{key}\" must be NAMESPACE/NAME");
            }

            using var loggers = LoggingSetup.Create(parse.GetValue(logLevel));
            var agent = new GatewayAgent(new Uri(parse.GetValue(controlPlane)!), key[..slash], key[(slash + 1)..], loggers);
            await using (agent.ConfigureAwait(false))
            {
                agent.Applied += r =>
                {
                    Console.WriteLine($"serving version {r.ServedVersion} on {string.Join(", ", agent.Proxy.BoundPorts)}" +
                        string.Concat(r.BindFailures.Select(f => $"\n  error: {f}")) +
                        string.Concat(r.Errors.Select(e => $"\n  rejected: {e}")));
                };
                agent.Start();
                Console.WriteLine($"gateway proxy for {key}: control plane {parse.GetValue(controlPlane)}");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return command;
    }
}
