using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.ProxyHost.Tests;

/// <summary>
/// The NativeAOT weft-proxy end to end: a real control plane (`weft up --no-gateways`) on a config
/// folder, echo backends, and the published executable serving HTTP/1.1 and h2c, taking config changes.
/// </summary>
[Collection("weft-proxy")]
public sealed partial class WeftProxyTests(AotProxy aot)
{
    private static int s_block = Environment.ProcessId % 1000;

    [Fact]
    public void Is_a_native_executable()
    {
        // An ELF file with no managed assemblies beside it: trimmed and compiled ahead of time, no JIT.
        var header = new byte[4];
        using (var file = File.OpenRead(aot.Executable))
        {
            file.ReadExactly(header);
        }

        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, header);
        Assert.Empty(Directory.EnumerateFiles(aot.PublishDir, "*.dll"));
    }

    [Fact]
    public async Task Routes_http1_and_h2c_and_takes_config_changes_from_the_control_plane()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var one = await backends.StartAsync("default", "one");
        var two = await backends.StartAsync("default", "two");
        var address = NextAddress();
        workspace.Write("gateway.yaml", $"""
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

            """ + Backends.ServiceWithSlice("default", "one", 80, one) + Backends.ServiceWithSlice("default", "two", 80, two));
        workspace.Write("route.yaml", Route(pathBackend: "one", addedRule: false));

        await using var controlPlane = WeftProcess.Start("up", "-f", workspace.Path, "--no-gateways", "--port-offset", "8000", "--xds-port", "0", "--admin-port", "0");
        var banner = await controlPlane.WaitForLineAsync(l => l.Contains("distribution", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var xds = DistributionUrl().Match(banner).Groups[1].Value;

        await using var proxy = aot.Start("--gateway", "default/gw", "--control-plane", xds, "--log-level", "information");
        await proxy.WaitForLineAsync(l => l == $"gateway proxy for default/gw: control plane {xds}", TimeSpan.FromSeconds(10));
        var serving = await proxy.WaitForLineAsync(l => l.StartsWith("serving version", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal($"serving version 1 on {address}:8080", serving);

        // Issue #5's memory target at rest: ≤ 40 MiB resident once the first snapshot is served (about
        // 30 MiB when measured: 17 MiB anonymous, 11 MiB of the executable's pages). `weft proxy` is ~70 MiB.
        var rss = ResidentMiB(proxy.Id);
        Assert.True(rss <= 40, $"weft-proxy uses {rss} MiB resident at rest (target ≤ 40 MiB)");

        var gateway = new Uri($"http://{address}:8080");
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var client = new Client(gateway, version);

            // Path match → one, with the route's response header filter applied.
            var r = await client.GetAsync("/one/x");
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal(version, r.Version);
            Assert.Equal("one", r.Service);
            Assert.Equal("aot", r.Header("x-routed-by"));

            // Header match on the same path → two, no filter.
            r = await client.GetAsync("/one/x", ("x-variant", "two"));
            Assert.Equal("two", r.Service);
            Assert.Null(r.Header("x-routed-by"));

            // No route matches.
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nowhere")).Status);
        }

        // A config change written to the folder reaches the proxy over the stream: the path rule now
        // sends to two, and a new rule appears.
        workspace.Write("route.yaml", Route(pathBackend: "two", addedRule: true));
        using (var h2 = new Client(gateway, HttpVersion.Version20))
        {
            var added = await Eventually.UntilAsync(() => h2.GetAsync("/added"), r => r.Service == "one", TimeSpan.FromSeconds(15), "the added route over h2c");
            Assert.Equal(HttpVersion.Version20, added.Version);
            Assert.Equal("two", (await h2.GetAsync("/one/x")).Service);
        }

        using (var h1 = new Client(gateway, HttpVersion.Version11))
        {
            Assert.Equal("one", (await h1.GetAsync("/added")).Service);
            var moved = await h1.GetAsync("/one/x");
            Assert.Equal("two", moved.Service);
            Assert.Equal("aot", moved.Header("x-routed-by"));
        }

        // One line per snapshot applied (the change may arrive as more than one version).
        await proxy.WaitForLineAsync(l => l.StartsWith("serving version ", StringComparison.Ordinal) && l.EndsWith($" on {address}:8080", StringComparison.Ordinal) && l != serving, TimeSpan.FromSeconds(5));

        // Ctrl-C stops it cleanly: exit code 0, the port released.
        Assert.Equal(0, await proxy.InterruptAsync(TimeSpan.FromSeconds(60)));
        using var after = new Client(gateway, HttpVersion.Version11);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => after.GetAsync("/one/x"));
        Assert.DoesNotContain("Unhandled exception", proxy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminates_TLS_with_the_certificate_of_a_Secret()
    {
        using var workspace = new Workspace();
        await using var backends = new Backends();
        var one = await backends.StartAsync("default", "one");
        var address = NextAddress();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=app.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("app.test");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        workspace.Write("gateway.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: app-cert
              namespace: default
            type: kubernetes.io/tls
            data:
              tls.crt: {Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()))}
              tls.key: {Convert.ToBase64String(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()))}
            ---
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
              - name: https
                protocol: HTTPS
                port: 443
                hostname: app.test
                tls:
                  mode: Terminate
                  certificateRefs:
                  - name: app-cert
            ---

            """ + Backends.ServiceWithSlice("default", "one", 80, one));
        workspace.Write("route.yaml", Route(pathBackend: "one", addedRule: false));

        await using var controlPlane = WeftProcess.Start("up", "-f", workspace.Path, "--no-gateways", "--port-offset", "8000", "--xds-port", "0", "--admin-port", "0");
        var banner = await controlPlane.WaitForLineAsync(l => l.Contains("distribution", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await using var proxy = aot.Start("--gateway", "default/gw", "--control-plane", DistributionUrl().Match(banner).Groups[1].Value);
        Assert.Equal($"serving version 1 on {address}:8443", await proxy.WaitForLineAsync(l => l.StartsWith("serving version", StringComparison.Ordinal), TimeSpan.FromSeconds(20)));

        var gateway = new Uri($"https://{address}:8443");
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            string? presented = null;
            using var client = new Client(gateway, version, new SslClientAuthenticationOptions
            {
                TargetHost = "app.test",
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    presented = cert?.GetCertHashString();
                    return presented == certificate.GetCertHashString();
                },
            });
            var r = await client.GetAsync("/one/x");
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal(version, r.Version);
            Assert.Equal("one", r.Service);
            Assert.Equal("aot", r.Header("x-routed-by"));
            Assert.Equal(certificate.GetCertHashString(), presented);
        }
    }

    [Fact]
    public async Task Stops_cleanly_on_SIGTERM_even_without_a_control_plane()
    {
        // Nothing listens on port 9 (discard): the proxy keeps retrying with backoff until told to stop.
        await using var proxy = aot.Start("--gateway", "default/gw", "--control-plane", "http://127.0.0.1:9");
        await proxy.WaitForLineAsync(l => l.StartsWith("gateway proxy for default/gw", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await proxy.WaitForStderrAsync("lost the control plane at http://127.0.0.1:9/", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await proxy.TerminateAsync(TimeSpan.FromSeconds(15)));
    }

    [Theory]
    [InlineData(new string[0], "--gateway NAMESPACE/NAME is required")]
    [InlineData(new[] { "--gateway", "gw" }, "--gateway \"gw\" must be NAMESPACE/NAME")]
    [InlineData(new[] { "--gateway", "default/gw", "--control-plane", "127.0.0.1:15010" }, "--control-plane \"127.0.0.1:15010\" must be an http:// or https:// URL")]
    [InlineData(new[] { "--gateway", "default/gw", "--log-level", "loud" }, "--log-level \"loud\" must be Trace, Debug, Information, Warning, Error, Critical or None")]
    [InlineData(new[] { "--gateway" }, "--gateway needs a value")]
    [InlineData(new[] { "--gateway", "default/gw", "--port", "80" }, "unknown option --port")]
    [InlineData(new[] { "--gateway", "default/gw", "extra" }, "unexpected argument \"extra\"")]
    [InlineData(new[] { "--gateway=a/b", "--gateway", "c/d" }, "--gateway is given twice")]
    [InlineData(new[] { "--gateway", "a/b", "--drain-timeout", "soon" }, "--drain-timeout \"soon\" must be a duration such as 15s, 500ms or 2m")]
    [InlineData(new[] { "--gateway", "a/b", "--max-request-body=10Q" }, "--max-request-body \"10Q\" must be a number of bytes, optionally with K, M or G (1M = 1048576)")]
    [InlineData(new[] { "--gateway", "a/b", "--merge-slashes", "maybe" }, "--merge-slashes \"maybe\" must be true or false")]
    [InlineData(new[] { "--gateway", "a/b", "--route-timeout" }, "--route-timeout needs a value")]
    [InlineData(new[] { "--gateway", "a/b", "--health-port", "x" }, "--health-port \"x\" must be a port number (0 picks a free one)")]
    public async Task Bad_arguments_exit_2_with_a_clear_message(string[] args, string message)
    {
        var result = await aot.RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: {message}\nRun 'weft-proxy --help' for usage.\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("WEFT_PROXY_DRAIN_DELAY", "later", "WEFT_PROXY_DRAIN_DELAY=\"later\" must be a duration such as 15s, 500ms or 2m")]
    [InlineData("WEFT_PROXY_ESCAPED_SLASHES", "drop", "WEFT_PROXY_ESCAPED_SLASHES=\"drop\" must be KEEP_UNCHANGED, REJECT_REQUEST, UNESCAPE_AND_REDIRECT or UNESCAPE_AND_FORWARD")]
    public async Task A_bad_WEFT_PROXY_variable_exits_2_naming_it(string name, string value, string message)
    {
        var result = await aot.RunAsync(new Dictionary<string, string> { [name] = value }, "--gateway", "a/b");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: {message}\nRun 'weft-proxy --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task Turns_unready_then_drains_in_flight_requests_at_SIGTERM() =>
        await DrainScenario.RunAsync(args => aot.Start(args), NextAddress());

    [Fact]
    public async Task Takes_every_proxy_setting_weft_proxy_takes()
    {
        // The hand-written parser and System.CommandLine's must offer the same flags: both read GatewayProxyOptions.Settings.
        var help = (await aot.RunAsync("--help")).Stdout;
        var weftHelp = (await WeftCli.RunAsync("proxy", "--help")).Stdout;
        foreach (var flag in Weft.Proxy.GatewayProxyOptions.Settings.Select(s => s.Flag).Concat(["--health-port", "--health-address", "--gateway", "--control-plane", "--log-level"]))
        {
            Assert.Contains(flag + " ", help, StringComparison.Ordinal);
            Assert.Contains(flag + " ", weftHelp, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_lists_the_options()
    {
        var result = await aot.RunAsync("--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage: weft-proxy --gateway NAMESPACE/NAME [--control-plane URL] [--log-level LEVEL]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--control-plane URL", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    /// <summary>
    /// PathPrefix /one with x-variant: two → two; PathPrefix /one → <paramref name="pathBackend"/> with a
    /// response header; with <paramref name="addedRule"/>, Exact /added → one.
    /// </summary>
    private static string Route(string pathBackend, bool addedRule) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: default
        spec:
          parentRefs:
          - name: gw
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /one
              headers:
              - name: x-variant
                value: two
            backendRefs:
            - name: two
              port: 80
          - matches:
            - path:
                type: PathPrefix
                value: /one
            backendRefs:
            - name: {pathBackend}
              port: 80
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                add:
                - name: x-routed-by
                  value: aot

        """ + (addedRule ? """
          - matches:
            - path:
                type: Exact
                value: /added
            backendRefs:
            - name: one
              port: 80

        """ : "");

    /// <summary>VmRSS of a process, in MiB.</summary>
    private static long ResidentMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;

    /// <summary>A loopback address of its own per test (127.200–239.x.1), apart from the E2E tests' 127.100–199 blocks.</summary>
    private static string NextAddress()
    {
        var n = Interlocked.Increment(ref s_block);
        return $"127.{200 + (n / 250) % 40}.{n % 250}.1";
    }

    [GeneratedRegex(@"distribution (http://127\.0\.0\.1:\d+)")]
    private static partial Regex DistributionUrl();

    /// <summary>Requests over HTTP/1.1 or prior-knowledge h2c (exact version, no fallback).</summary>
    private sealed class Client(Uri gateway, Version version, SslClientAuthenticationOptions? tls = null) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, SslOptions = tls ?? new() })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(10),
        };

        public async Task<Answer> GetAsync(string path, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            request.Headers.Host = "app.test";
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            JsonNode? json = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                json = JsonNode.Parse(body);
            }

            var responseHeaders = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            return new Answer(response.StatusCode, response.Version, json, responseHeaders, body);
        }

        public void Dispose() => _http.Dispose();
    }

    private sealed record Answer(HttpStatusCode Status, Version Version, JsonNode? Json, Dictionary<string, string> Headers, string Body)
    {
        public string? Service => Json?["service"]?.GetValue<string>();

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

        public override string ToString() => $"{(int)Status} HTTP/{Version} {Service ?? Body[..Math.Min(200, Body.Length)]}";
    }
}
