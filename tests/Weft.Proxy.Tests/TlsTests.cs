using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class TlsTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    private static TlsCertificateIr SelfSigned(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1));
        return new TlsCertificateIr { CertificatePem = certificate.ExportCertificatePem(), PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() };
    }

    /// <summary>A client that connects to the proxy whatever the URL's host, so the host can drive SNI.</summary>
    private static HttpClient Client(int port, Action<string> seenCertificate) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port, token);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seenCertificate(certificate!.Subject);
                return true;
            },
        },
    })
    {
        // Ask for h2 through ALPN (HttpClient defaults to 1.1); falls back to 1.1 if not offered.
        DefaultRequestVersion = HttpVersion.Version20,
    };

    [Fact]
    public async Task Https_listeners_choose_their_certificate_by_sni()
    {
        var port = FreePort.Next();
        var snapshot = Gateway(
            [
                new PortIr
                {
                    Port = port,
                    BindAddress = "127.0.0.1",
                    BindPort = port,
                    Protocol = ListenerProtocol.Https,
                    Listeners =
                    [
                        new ListenerIr { Name = "a", Hostname = "a.example.com", Certificate = SelfSigned("a.example.com"), VirtualHosts = [Host("*", Route("ra", To("a")))] },
                        new ListenerIr { Name = "wild", Hostname = "*.example.com", Certificate = SelfSigned("*.example.com"), VirtualHosts = [Host("*", Route("rb", To("b")))] },
                    ],
                },
            ],
            Cluster(upstreams.A),
            Cluster(upstreams.B));
        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());

        string? subject = null;
        using var client = Client(port, s => subject = s);

        var a = await client.GetAsync(new Uri($"https://a.example.com:{port}/"));
        Assert.Equal("CN=a.example.com", subject);
        Assert.Equal("a", a.Headers.GetValues("x-upstream").Single());
        Assert.Equal(HttpVersion.Version20, a.Version);

        var b = await client.GetAsync(new Uri($"https://b.example.com:{port}/"));
        Assert.Equal("CN=*.example.com", subject);
        Assert.Equal("b", b.Headers.GetValues("x-upstream").Single());
        var echo = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Echo>(b.Content, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("https", echo!.Headers["x-forwarded-proto"]);
    }

    [Fact]
    public async Task Invalid_certificate_is_rejected()
    {
        var port = FreePort.Next();
        var snapshot = Gateway(
            [
                new PortIr
                {
                    Port = port,
                    BindAddress = "127.0.0.1",
                    BindPort = port,
                    Protocol = ListenerProtocol.Https,
                    Listeners = [new ListenerIr { Name = "bad", Certificate = new TlsCertificateIr { CertificatePem = "nope", PrivateKeyPem = "nope" } }],
                },
            ],
            Cluster(upstreams.A));

        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.StartsWith("listener bad: invalid certificate or key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_can_switch_between_http_and_https()
    {
        var port = FreePort.Next();
        var http = Gateway([Http(port, Listener("l", null, Host("*", Route("r", To("a")))))], Cluster(upstreams.A));
        var https = http with { Ports = [http.Ports[0] with { Protocol = ListenerProtocol.Https, Listeners = [Listener("l", null, Host("*", Route("r", To("a")))) with { Certificate = SelfSigned("h") }] }] };

        Assert.True((await _proxy.ApplyAsync(https, CancellationToken.None)).Succeeded);
        using var client = Client(port, _ => { });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"https://h:{port}/"))).StatusCode);

        Assert.True((await _proxy.ApplyAsync(http, CancellationToken.None)).Succeeded);
        using var plain = Http.Client();
        Assert.Equal(HttpStatusCode.OK, (await plain.SendAsync(port, "h", "/")).Status);
    }
}
