using System.Runtime.InteropServices;
using Weft.Cli.Commands;

namespace Weft.ProxyHost;

/// <summary>
/// `weft-proxy --gateway NS/NAME [--control-plane URL] [--log-level LEVEL]`: `weft proxy` as a NativeAOT
/// executable. Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 could not start (health port taken), 2 bad
/// command line or WEFT_PROXY_* setting.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // On one CPU, with the JIT: re-executes once so that hot code is optimized as soon as on several (see SingleCpuTiering).
        Weft.Proxy.SingleCpuTiering.Apply();
        // Before any socket exists: the proxy serves as an event loop (see IoScheduling).
        Weft.Proxy.IoScheduling.PreferInline();
        ProxyArguments? arguments;
        try
        {
            arguments = ProxyArguments.Parse(args, out var print);
            if (arguments is null)
            {
                Console.WriteLine(print);
                return 0;
            }
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\nRun 'weft-proxy --help' for usage.").ConfigureAwait(false);
            return 2;
        }

        // Ctrl-C and SIGTERM stop the stream and the listeners, then the process exits 0. A second
        // signal is left to the default (exit now), as in `weft`.
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await GatewayProxyRunner.RunAsync(arguments.ControlPlane, arguments.GatewayNamespace, arguments.GatewayName, arguments.LogLevel, arguments.Options, arguments.Health, stop.Token).ConfigureAwait(false);
        }
        catch (ProxyStartException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
