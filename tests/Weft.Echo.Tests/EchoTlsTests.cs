using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

public sealed class EchoTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("weft-echo-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Tls_listener_reports_version_sni_alpn_cipher_and_client_certificate()
    {
        using var cts = EchoHttp.Timeout();
        using var serverCertificate = SelfSigned("echo.example");
        using var authority = Authority();
        using var clientCertificate = IssueClientCertificate(authority, "gateway");

        // Through the PEM files, as the program loads TLS_SERVER_CERT, TLS_SERVER_PRIVKEY and TLS_CLIENT_CACERTS.
        var https = EchoHttpsOptions.FromPemFiles(
            port: 0,
            WritePem("server.crt", serverCertificate.ExportCertificatePem()),
            WritePem("server.key", serverCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
            WritePem("ca.crt", authority.ExportCertificatePem()));
        await using var server = await EchoServer.StartAsync(new EchoOptions { Https = https }, cts.Token);
        Assert.NotNull(server.HttpsUri);

        var endPoint = server.HttpsEndPoint!;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString() == serverCertificate.GetCertHashString(),
            },
            // The URL names echo.example (so that is the SNI); the socket goes to the test server.
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(endPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://echo.example:{endPoint.Port}/backend?tls=1"));
        var (_, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.NotNull(echo.Tls);
        Assert.Matches("^TLSv1\\.[23]$", echo.Tls.Version);
        Assert.Equal("echo.example", echo.Tls.ServerName);
        // An HTTP/1.1-only HttpClient offers no ALPN; Go's omitempty then leaves the field out.
        Assert.Null(echo.Tls.NegotiatedProtocol);
        Assert.StartsWith("TLS_", echo.Tls.CipherSuite, StringComparison.Ordinal);
        var peer = Assert.Single(echo.Tls.PeerCertificates ?? []);
        Assert.Equal(clientCertificate.ExportCertificatePem() + "\n", peer);
        Assert.Equal($"echo.example:{endPoint.Port}", echo.Host);
    }

    [Fact]
    public async Task Without_client_cas_no_client_certificate_is_requested()
    {
        using var cts = EchoHttp.Timeout();
        using var serverCertificate = SelfSigned("echo.example");
        await using var server = await EchoServer.StartAsync(
            new EchoOptions { Https = new EchoHttpsOptions { Certificate = serverCertificate } }, cts.Token);

        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.HttpsUri)
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var (_, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.NotNull(echo.Tls);
        Assert.Null(echo.Tls.PeerCertificates);
        Assert.Equal("h2", echo.Tls.NegotiatedProtocol);
        Assert.Equal("HTTP/2.0", echo.Proto);
    }

    private string WritePem(string name, string pem)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static X509Certificate2 SelfSigned(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Authority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Weft Echo Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 IssueClientCertificate(X509Certificate2 authority, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Exported and reloaded so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
