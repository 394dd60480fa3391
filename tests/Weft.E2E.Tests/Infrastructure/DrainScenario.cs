using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>
/// A standalone proxy's shutdown, observed from outside (`weft proxy` here, `weft-proxy` in
/// Weft.ProxyHost.Tests): a request is held in flight at the upstream, SIGTERM is sent, and then
/// /healthz/ready answers 503, the listener refuses new connections once the drain delay has passed,
/// the held request still completes with 200, and the process exits 0.
/// </summary>
internal static partial class DrainScenario
{
    /// <param name="startProxy">Starts the proxy under test with these arguments.</param>
    /// <param name="address">A loopback address of the test's own for the Gateway.</param>
    public static async Task RunAsync(Func<string[], WeftProcess> startProxy, string address)
    {
        // An upstream that holds the request until the test releases it: the request is in flight for sure.
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var upstreamPort = ((IPEndPoint)upstream.LocalEndpoint).Port;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = Task.Run(async () =>
        {
            using var socket = await upstream.AcceptSocketAsync();
            var buffer = new byte[8192];
            var received = "";
            while (!received.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer);
                if (n == 0)
                {
                    return;
                }

                received += Encoding.ASCII.GetString(buffer, 0, n);
            }

            arrived.TrySetResult();
            await release.Task;
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndone"));
        });

        using var workspace = new Workspace();
        workspace.Write("config.yaml", $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: default
            spec:
              gatewayClassName: weft
              addresses:
              - type: IPAddress
                value: {address}
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: slow
              namespace: default
            spec:
              parentRefs:
              - name: gw
              rules:
              - backendRefs:
                - name: slow
                  port: 80
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: slow
              namespace: default
            spec:
              ports:
              - name: http
                port: 80
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: slow-1
              namespace: default
              labels:
                kubernetes.io/service-name: slow
            addressType: IPv4
            ports:
            - name: http
              port: {upstreamPort}
            endpoints:
            - addresses: ["127.0.0.1"]

            """);

        await using var controlPlane = WeftProcess.Start("up", "-f", workspace.Path, "--no-gateways", "--xds-port", "0", "--admin-port", "0");
        var banner = await controlPlane.WaitForLineAsync(l => l.Contains("distribution", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var xds = DistributionUrl().Match(banner).Groups[1].Value;

        await using var proxy = startProxy(["--gateway", "default/gw", "--control-plane", xds, "--health-port", "0", "--drain-delay", "1s", "--drain-timeout", "30s"]);
        var healthLine = await proxy.WaitForLineAsync(l => l.StartsWith("health http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var health = new Uri(healthLine["health ".Length..]);
        await proxy.WaitForLineAsync(l => l.StartsWith("serving version", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, await Eventually.UntilAsync(() => Status(http, health), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "readiness 200 once serving"));

        var gateway = new Uri($"http://{address}:8080/slow");
        var held = http.GetAsync(gateway);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // SIGTERM, without waiting for the exit yet.
        var exited = proxy.TerminateAsync(TimeSpan.FromSeconds(60));

        // Readiness flips first, while the listener still serves.
        await Eventually.UntilAsync(() => Status(http, health), s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "readiness 503 after SIGTERM");

        // After the drain delay the listener stops accepting: a new connection is refused, while the held request is still in flight.
        await Eventually.UntilAsync(() => Connects(address, 8080), connected => !connected, TimeSpan.FromSeconds(15), "new connections refused after the drain delay");
        Assert.False(held.IsCompleted, "the in-flight request ended before it was released");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Status(http, health));

        release.SetResult();
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        await serving;

        var exitCode = await exited;
        Assert.True(exitCode == 0, $"exit {exitCode}\n{proxy.Stderr}");
        Assert.DoesNotContain("Unhandled exception", proxy.Stderr, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> Status(HttpClient http, Uri uri)
    {
        using var response = await http.GetAsync(uri);
        return response.StatusCode;
    }

    private static async Task<bool> Connects(string address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"distribution (http://127\.0\.0\.1:\d+)")]
    private static partial Regex DistributionUrl();
}
