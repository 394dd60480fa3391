using System.CommandLine;
using Weft.Cli.Commands;

namespace Weft.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // On one CPU, with the JIT: re-executes once so that hot code is optimized as soon as on several (see SingleCpuTiering).
        Weft.Proxy.SingleCpuTiering.Apply();
        // Before any socket exists: the proxies this process may run serve as event loops (see IoScheduling).
        Weft.Proxy.IoScheduling.PreferInline();
        var root = new RootCommand("weft: a Gateway API implementation and service mesh for .NET. Runs on Kubernetes or, by default, on one machine from YAML files.");
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(GetCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create(delete: false));
        root.Subcommands.Add(ApplyCommand.Create(delete: true));
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(ProxyStatusCommand.Create());
        var x = new Command("x", "Experimental commands.");
        x.Subcommands.Add(ExplainCommand.Create());
        x.Subcommands.Add(ProxyTokenCommand.Create());
        root.Subcommands.Add(x);
        // Ctrl-C and SIGTERM cancel the command's token; long-running commands (up, proxy) then
        // stop their servers in order and exit. A second signal is left to the default (exit now).
        using var stop = new CancellationTokenSource();
        void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);
    }
}
