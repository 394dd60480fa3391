using System.CommandLine;
using Weft.Cli.Workloads;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft run --name NAME [--namespace NS] [--labels k=v,…] --port PORT -- COMMAND…`: starts a process
/// as a mesh workload of a running control plane (like `dapr run`): Services select it by its
/// labels, and its outbound HTTP to Service names goes through a sidecar that applies mesh routes.
/// The workload leaves the mesh when `weft run` stops or the process exits.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The workload's name (its WorkloadEntry's name).", Required = true };
        var ns = new Option<string>("--namespace", "-n") { Description = "The workload's namespace.", DefaultValueFactory = _ => "default" };
        var labels = new Option<string?>("--labels", "-l") { Description = "Labels as k=v,k=v; Services select the workload by them (default app=NAME)." };
        var port = new Option<int>("--port") { Description = "The port the process listens on (it is told PORT and BIND_ADDRESS).", Required = true };
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore, Description = "The command to run, after --." };
        var server = CommonOptions.Server();
        var logLevel = LoggingSetup.LevelOption();
        var run = new Command("run", "Run a process as a mesh workload of a running control plane.") { name, ns, labels, port, command, server, logLevel };
        run.SetHandler(async (parse, ct) =>
        {
            var sidecarOptions = ProxySettingOptions.Sidecar();
            var labelMap = ParseLabels(parse.GetValue(labels), parse.GetValue(name)!);
            var argv = parse.GetValue(command)!;
            using var loggers = LoggingSetup.Create(parse.GetValue(logLevel));
            using var api = new AdminClient(parse.GetValue(server)!);
            var version = await api.GetAsync("version", ct).ConfigureAwait(false);
            var distribution = new Uri(version["distribution"]!.GetValue<string>());
            var spec = new WorkloadSpec
            {
                Name = parse.GetValue(name)!,
                Namespace = parse.GetValue(ns)!,
                Labels = labelMap,
                Port = parse.GetValue(port),
                FileName = argv[0],
                Arguments = argv[1..],
            };
            var runner = new WorkloadRunner(spec, api, distribution, loggers, Console.WriteLine, sidecarOptions);
            await using (runner.ConfigureAwait(false))
            {
                await runner.StartAsync(ct).ConfigureAwait(false);
                Console.WriteLine($"workload {spec.Namespace}/{spec.Name} ({string.Join(",", labelMap.Select(l => $"{l.Key}={l.Value}"))}) listening on {runner.Address}:{spec.Port}; outbound proxy {runner.OutboundProxy}");
                try
                {
                    var code = await runner.WaitForExitAsync(ct).ConfigureAwait(false);
                    Console.WriteLine($"workload {spec.Namespace}/{spec.Name} exited with code {code}");
                    return code;
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine($"stopping workload {spec.Namespace}/{spec.Name}");
                    return 0;
                }
            }
        });
        return run;
    }

    public static Dictionary<string, string> ParseLabels(string? text, string name)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            labels["app"] = name;
            return labels;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"label \"{pair}\" is not key=value");
            }

            labels[pair[..eq]] = pair[(eq + 1)..];
        }

        return labels;
    }
}
