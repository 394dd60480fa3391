using Microsoft.Extensions.Logging;
using Weft.Proxy;
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
    /// Serves the Gateway until <paramref name="cancellationToken"/> is cancelled (Ctrl-C, SIGTERM), then stops
    /// the stream and the listeners. Prints the start line, then one "serving version" line per snapshot applied.
    /// </summary>
    /// <param name="options">The proxy's settings; null reads them from the WEFT_PROXY_* environment variables.</param>
    public static async Task RunAsync(Uri controlPlane, string gatewayNamespace, string gatewayName, LogLevel logLevel, CancellationToken cancellationToken, GatewayProxyOptions? options = null)
    {
        using var loggers = LoggingSetup.Create(logLevel);
        // Read at every connect: $WEFT_TOKEN (a proxy token from `weft x proxy-token`, or the credential),
        // else the credential `weft up` keeps for this user, turned into this Gateway's token.
        var scope = Identity.ProxyTokens.GatewayScope(gatewayNamespace, gatewayName);
        var agent = new GatewayAgent(controlPlane, gatewayNamespace, gatewayName, loggers, options ?? GatewayProxyOptions.FromEnvironment(),
            credential: () => Identity.ProxyTokens.ForProxy(Identity.LocalCredential.ReadForClient(), scope));
        await using (agent.ConfigureAwait(false))
        {
            agent.Applied += r => Console.WriteLine(Describe(r, agent.Proxy.BoundPorts));
            agent.Start();
            Console.WriteLine($"gateway proxy for {gatewayNamespace}/{gatewayName}: control plane {controlPlane.OriginalString}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>"serving version V on PORTS", then one indented line per port that failed to bind and per rejection.</summary>
    public static string Describe(ApplyResult result, IReadOnlyList<BoundPort> ports) =>
        $"serving version {result.ServedVersion} on {string.Join(", ", ports)}" +
        string.Concat(result.BindFailures.Select(f => $"\n  error: {f}")) +
        string.Concat(result.Errors.Select(e => $"\n  rejected: {e}"));
}
