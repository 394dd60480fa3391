using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>
/// The control plane's access control as a user meets it (docs/security.md): `weft up` makes an
/// owner-only credential that the CLI and proxies use without being told; a process without it gets
/// nothing from the API or the distribution port; a proxy token opens one Gateway only.
/// </summary>
[Collection("e2e")]
public sealed partial class SecurityTests
{
    private static readonly string Gateways = Manifests.Gateway("gw", 80) + "\n---\n" + Manifests.Gateway("other", 81);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Up_makes_an_owner_only_credential_the_cli_uses_and_a_process_without_it_is_refused()
    {
        using var workspace = new Workspace();
        var (secret, keyPem) = TlsSecret();
        workspace.Write("site.yaml", Gateways + "\n---\n" + secret);
        var home = Directory.CreateTempSubdirectory("weft-home-").FullName;
        var stranger = Directory.CreateTempSubdirectory("weft-stranger-").FullName;
        try
        {
            var up = WeftCli.StartInfo("up", "-f", workspace.Path, "--no-gateways", "--xds-port", "0", "--admin-port", "0", "--first-address", LocalWeft.NextAddressBlock());
            up.Environment["WEFT_HOME"] = home;
            await using var weft = WeftProcess.Start(up);
            var banner = await weft.WaitForLineAsync(l => l.Contains("control plane API", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var admin = AdminUrl().Match(banner).Value;
            var xds = XdsUrl().Match(banner).Groups[1].Value;

            // Made on first start, readable by its owner only, in a folder only its owner can enter.
            var file = Path.Combine(home, "credential");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home));

            // The CLI presents it without being told; Secrets come back redacted.
            var get = await RunAsync(home, "get", "secrets", "-o", "yaml", "--server", admin);
            Assert.True(get.ExitCode == 0, get.ToString());
            Assert.Contains("tls.key: '[redacted]'", get.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(keyPem))[..40], get.Stdout, StringComparison.Ordinal);

            // A user without the credential is told what is missing, and changes nothing.
            var refused = await RunAsync(stranger, "delete", "-f", workspace.File("site.yaml"), "--server", admin);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("refused the request", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("no credential", refused.Stderr, StringComparison.Ordinal);
            using (var http = new HttpClient())
            {
                using var anonymous = await http.GetAsync(new Uri(new Uri(admin), "api/v1/secrets"));
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(file).Trim());
                using var gateways = await http.GetAsync(new Uri(new Uri(admin), "api/v1/gateways"));
                Assert.Contains("\"other\"", await gateways.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // A proxy token for one Gateway serves that Gateway, from a process that has no credential file...
            var minted = await RunAsync(home, "x", "proxy-token", "--gateway", "default/gw");
            Assert.True(minted.ExitCode == 0, minted.ToString());
            var token = minted.Stdout.Trim();
            Assert.StartsWith("weftp.", token, StringComparison.Ordinal);
            await using var proxy = WeftProcess.Start(ProxyWith(stranger, token, xds, "default/gw"));
            await proxy.WaitForLineAsync(l => l.StartsWith("serving version", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            // ...and is refused for any other, which therefore never starts serving.
            await using var impostor = WeftProcess.Start(ProxyWith(stranger, token, xds, "default/other"));
            await impostor.WaitForStderrAsync("refused this proxy", TimeSpan.FromSeconds(30));
            Assert.Contains("may not receive the config of gateway:default/other", impostor.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("serving version", impostor.Stdout, StringComparison.Ordinal);

            // proxy-status lists the real proxy with how it authenticated, never the impostor.
            var status = await RunAsync(home, "proxy-status", "--server", admin);
            Assert.Contains("default/gw", status.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("default/other", status.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
            Directory.Delete(stranger, recursive: true);
        }
    }

    [Fact]
    public async Task A_command_started_together_with_up_waits_for_it_instead_of_failing()
    {
        using var workspace = new Workspace();
        workspace.Write("site.yaml", Gateways);
        var port = FreePort();
        var admin = $"http://127.0.0.1:{port}";
        await using var weft = WeftProcess.Start("up", "-f", workspace.Path, "--no-gateways", "--xds-port", "0", "--admin-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--first-address", LocalWeft.NextAddressBlock());

        // Started at once, as a script would: `weft up &` then `weft get`.
        var get = await WeftCli.RunAsync("get", "gateways", "--server", admin);
        Assert.True(get.ExitCode == 0, get + "\n--- up\n" + weft.Stdout + weft.Stderr);
        Assert.Contains("other", get.Stdout, StringComparison.Ordinal);
    }

    private static ProcessStartInfo ProxyWith(string home, string token, string xds, string gateway)
    {
        var psi = WeftCli.StartInfo("proxy", "--gateway", gateway, "--control-plane", xds);
        psi.Environment["WEFT_HOME"] = home;
        psi.Environment["WEFT_TOKEN"] = token;
        return psi;
    }

    private static async Task<CliResult> RunAsync(string home, params string[] args)
    {
        var psi = WeftCli.StartInfo(args);
        psi.Environment["WEFT_HOME"] = home;
        psi.Environment.Remove("WEFT_TOKEN");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static (string Yaml, string KeyPem) TlsSecret()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=site.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        return ($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: site-cert
              namespace: default
            type: kubernetes.io/tls
            data:
              tls.crt: {Convert.ToBase64String(Encoding.ASCII.GetBytes(cert.ExportCertificatePem()))}
              tls.key: {Convert.ToBase64String(Encoding.ASCII.GetBytes(keyPem))}
            """, keyPem);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex AdminUrl();

    [GeneratedRegex(@"distribution (http://127\.0\.0\.1:\d+)")]
    private static partial Regex XdsUrl();
}
