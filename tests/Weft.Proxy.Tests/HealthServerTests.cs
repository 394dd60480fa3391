using System.Net;
using Weft.Proxy.Admin;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class HealthServerTests
{
    [Fact]
    public async Task Ready_is_503_before_the_first_snapshot_200_while_serving_and_503_once_shutdown_begins()
    {
        await using var proxy = new GatewayProxy();
        await using var health = await HealthServer.StartAsync(IPAddress.Loopback, 0, () => proxy.IsReady, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var ready = new Uri($"http://{health.EndPoint}{HealthServer.ReadyPath}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(ready)).StatusCode);

        var result = await proxy.ApplyAsync(Gateway([Http(FreePort.Next(), Listener("http", null, Host("*", Route("r", To("c")))))], Cluster("c", FreePort.Next())), CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://{health.EndPoint}/other"))).StatusCode);

        proxy.BeginShutdown();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(ready)).StatusCode);
        // The ports still serve until the proxy is disposed: only readiness changed.
        Assert.NotEmpty(proxy.BoundPorts);
    }

    [Fact]
    public void Flags_override_variables_and_bad_values_name_what_was_wrong()
    {
        var env = new Dictionary<string, string> { ["WEFT_PROXY_DRAIN_TIMEOUT"] = "3s", ["WEFT_PROXY_MERGE_SLASHES"] = "true", ["WEFT_PROXY_MAX_REQUEST_BODY_BYTES"] = "2M" };
        var options = GatewayProxyOptions.FromSettings(new Dictionary<string, string> { ["--drain-timeout"] = "500ms", ["--drain-delay"] = "2" }, env.GetValueOrDefault);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.DrainDelay);
        Assert.True(options.PathNormalization.MergeSlashes);
        Assert.Equal(2L << 20, options.MaxRequestBodySize);
        Assert.Equal(512L * 1024, GatewayProxyOptions.Size("x", "512k"));
        Assert.Equal("--route-timeout \"15x\" must be a duration such as 15s, 500ms or 2m",
            Assert.Throws<FormatException>(() => GatewayProxyOptions.FromSettings(new Dictionary<string, string> { ["--route-timeout"] = "15x" }, _ => null)).Message);
        Assert.Equal("WEFT_PROXY_MAX_REQUEST_BODY_BYTES=\"-1\" must be a number of bytes, optionally with K, M or G (1M = 1048576)",
            Assert.Throws<FormatException>(() => GatewayProxyOptions.FromSettings(null, n => n == "WEFT_PROXY_MAX_REQUEST_BODY_BYTES" ? "-1" : null)).Message);
    }
}
