using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Weft.Proxy;
using Weft.Proxy.Admin;
using Weft.Proxy.Distribution;

namespace Weft.Cli.Commands;

/// <summary>
/// A gateway proxy in a process of its own, fed by a control plane: what `weft proxy` and the NativeAOT
/// `weft-proxy` (src/Weft.ProxyHost, which compiles this file too) both run, so they behave and print
/// alike. No System.CommandLine here: each parses its own command line.
/// </summary>
internal static class GatewayProxyRunner
{
    public const string DefaultControlPlane = "http://127.0.0.1:15010";

    /// <summary>Splits NAMESPACE/NAME; null when <paramref name="key"/> is not of that form.</summary>
    public static (string Namespace, string Name)? ParseGateway(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0 ? null : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>An absolute http(s) URL; null otherwise.</summary>
    public static Uri? ParseControlPlane(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    /// <summary>
    /// The health endpoint from --health-port and --health-address: off (null) unless one is given, then
    /// 127.0.0.1 and Istio's 15021 unless told otherwise. Off by default because `weft proxy` is usually
    /// run several times on one machine (one per Gateway), where a fixed default port would make every
    /// proxy after the first fail; a deployment that wants Istio's port asks for it.
    /// Throws <see cref="FormatException"/> naming the flag.
    /// </summary>
    public static IPEndPoint? ParseHealth(string? port, string? address)
    {
        if (port is null && address is null)
        {
            return null;
        }

        var number = HealthServer.IstioPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > IPEndPoint.MaxPort))
        {
            throw new FormatException($"--health-port \"{port}\" must be a port number (0 picks a free one)");
        }

        var ip = IPAddress.Loopback;
        if (address is not null && !IPAddress.TryParse(address, out ip!))
        {
            throw new FormatException($"--health-address \"{address}\" must be an IP address");
        }

        return new IPEndPoint(ip, number);
    }

    /// <summary>
    /// Serves the Gateway until <paramref name="cancellationToken"/> is cancelled (Ctrl-C, SIGTERM), then shuts
    /// down in order (<see cref="GatewayAgent.ShutdownAsync"/>): readiness 503, <see cref="GatewayProxyOptions.DrainDelay"/>
    /// of serving, then the ports stop accepting and drain for up to <see cref="GatewayProxyOptions.DrainTimeout"/>;
    /// the health endpoint answers 503 until the end. Prints the start line (and the health URL), then one
    /// "serving version" line per snapshot applied. Throws <see cref="ProxyStartException"/> when the
    /// health port cannot be bound.
    /// </summary>
    /// <param name="options">The proxy's settings (see <see cref="GatewayProxyOptions.FromSettings"/>), validated by the caller.</param>
    /// <param name="health">Where to serve <c>/healthz/ready</c>; null for nowhere.</param>
    public static async Task RunAsync(Uri controlPlane, string gatewayNamespace, string gatewayName, LogLevel logLevel, GatewayProxyOptions options, IPEndPoint? health, CancellationToken cancellationToken)
    {
        using var loggers = LoggingSetup.Create(logLevel);
        // Read at every connect: $WEFT_TOKEN (a proxy token from `weft x proxy-token`, or the credential),
        // else the credential `weft up` keeps for this user, turned into this Gateway's token.
        var scope = Identity.ProxyTokens.GatewayScope(gatewayNamespace, gatewayName);
        var agent = new GatewayAgent(controlPlane, gatewayNamespace, gatewayName, loggers, options,
            credential: () => Identity.ProxyTokens.ForProxy(Identity.LocalCredential.ReadForClient(), scope));
        HealthServer? healthServer = null;
        try
        {
            if (health is not null)
            {
                try
                {
                    healthServer = await HealthServer.StartAsync(health.Address, health.Port, () => agent.Proxy.IsReady, loggers, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
                {
                    throw new ProxyStartException($"--health-port {health.Port}: cannot listen on {health}: {e.Message}");
                }
            }

            agent.Applied += r => Console.WriteLine(Describe(r, agent.Proxy.BoundPorts));
            agent.Start();
            Console.WriteLine($"gateway proxy for {gatewayNamespace}/{gatewayName}: control plane {controlPlane.OriginalString}");
            if (healthServer is not null)
            {
                Console.WriteLine($"health http://{healthServer.EndPoint}{HealthServer.ReadyPath}");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine($"stopping: not ready; draining after {options.DrainDelay.TotalSeconds:0.###}s, for up to {options.DrainTimeout.TotalSeconds:0.###}s");
            await agent.ShutdownAsync().ConfigureAwait(false);
        }
        finally
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            if (healthServer is not null)
            {
                await healthServer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>"serving version V on PORTS", then one indented line per port that failed to bind and per rejection.</summary>
    public static string Describe(ApplyResult result, IReadOnlyList<BoundPort> ports) =>
        $"serving version {result.ServedVersion} on {string.Join(", ", ports)}" +
        string.Concat(result.BindFailures.Select(f => $"\n  error: {f}")) +
        string.Concat(result.Errors.Select(e => $"\n  rejected: {e}"));
}

/// <summary>The proxy could not start (its health port is taken): one line, naming the flag.</summary>
internal sealed class ProxyStartException(string message) : Exception(message);
