using Microsoft.Extensions.Logging;
using Weft.ControlPlane.Hosting;

namespace Weft.Cli.Commands;

/// <summary>
/// Weft on one machine: the control plane on files, and (unless told not to) a gateway proxy per
/// Gateway. Shared by `weft up` and `weft demo`, which adds workloads on top.
/// </summary>
internal sealed class LocalRuntime : IAsyncDisposable
{
    private LocalRuntime(ControlPlaneServer server, GatewayFleet? fleet)
    {
        Server = server;
        Fleet = fleet;
    }

    public ControlPlaneServer Server { get; }
    public GatewayFleet? Fleet { get; }

    /// <param name="gateways">The gateway proxies' settings; null runs no gateway proxies (`weft up --no-gateways`).</param>
    public static async Task<LocalRuntime> StartAsync(ControlPlaneOptions options, ILoggerFactory loggers, Weft.Proxy.GatewayProxyOptions? gateways, Action<string> announce, CancellationToken ct)
    {
        // The administrator credential of this user's local control planes (docs/security.md), made on first start.
        if (options.Credential is null)
        {
            options = options with { Credential = Identity.LocalCredential.LoadOrCreate(Identity.LocalCredential.FilePath, w => announce("warning: " + w)) };
        }

        ControlPlaneServer server;
        try
        {
            server = await ControlPlaneServer.StartAsync(options, loggers, ct: ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot start the control plane on {options.BindAddress} ports {options.XdsPort}/{options.AdminPort}: {e.Message} (is another `weft up` or `weft demo` running? use --xds-port/--admin-port)");
        }

        announce($"weft {Ir.WeftVersion.Current}: control plane API {server.AdminAddress} (distribution {server.XdsAddress})");
        GatewayFleet? fleet = null;
        if (gateways is not null)
        {
            fleet = new GatewayFleet(server, loggers, gateways, announce);
            await fleet.StartAsync(ct).ConfigureAwait(false);
        }

        return new LocalRuntime(server, fleet);
    }

    public async ValueTask DisposeAsync()
    {
        // Readiness first (503), then the gateways drain, then the control plane stops.
        Server.BeginShutdown();
        if (Fleet is not null)
        {
            await Fleet.DisposeAsync().ConfigureAwait(false);
        }

        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
