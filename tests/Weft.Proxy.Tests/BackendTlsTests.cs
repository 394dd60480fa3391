using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>
/// Upstream TLS (BackendTLSPolicy) over real sockets: a TLS backend whose certificate is signed by a
/// test CA and carries DNS backend.example.com, other.example.com and URI spiffe://example.com/backend.
/// The backend answers with the SNI it saw and the Host it got.
/// </summary>
public sealed class BackendTlsTests : IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();
    private WebApplication? _backend;
    private int _backendPort;
    private string _caPem = "";
    private string _otherCaPem = "";

    public async Task InitializeAsync()
    {
        using var caKey = RSA.Create(2048);
        using var ca = CreateCa(caKey, "CN=test-ca");
        _caPem = ca.ExportCertificatePem();
        using var otherKey = RSA.Create(2048);
        using var other = CreateCa(otherKey, "CN=other-ca");
        _otherCaPem = other.ExportCertificatePem();

        using var leafKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=default", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("backend.example.com");
        san.AddDnsName("other.example.com");
        san.AddUri(new Uri("spiffe://example.com/backend"));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var signed = request.Create(ca, DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        _backend = builder.Build();
        _backend.Run(context =>
        {
            var sni = context.Features.Get<ISslStreamFeature>()?.SslStream.TargetHostName ?? "";
            context.Response.Headers["x-sni"] = sni;
            context.Response.Headers["x-host"] = context.Request.Host.Value;
            return Task.CompletedTask;
        });
        await _backend.StartAsync();
        var address = _backend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _backendPort = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    private static X509Certificate2 CreateCa(RSA key, string subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        return request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-2), DateTimeOffset.Now.AddDays(2));
    }

    private async Task<HttpResponseMessage> SendThroughAsync(UpstreamTlsIr tls)
    {
        var port = FreePort.Next();
        var cluster = new ClusterIr { Name = "tls", Endpoints = [new EndpointIr { Address = "127.0.0.1", Port = _backendPort }], Tls = tls };
        var result = await _proxy.ApplyAsync(Gateway([Http(port, Listener("l", null, Host("*", Route("r", To("tls")))))], cluster), CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        using var client = Http.Client();
        var (_, _, response) = await client.SendAsync(port, "app.example.com", "/");
        return response;
    }

    [Fact]
    public async Task Connects_with_the_policy_sni_and_keeps_the_host()
    {
        var response = await SendThroughAsync(new UpstreamTlsIr { Sni = "other.example.com", TrustedCaPem = [_caPem] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other.example.com", response.Header("x-sni"));
        Assert.Equal("app.example.com", response.Header("x-host"));
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused()
    {
        var response = await SendThroughAsync(new UpstreamTlsIr { Sni = "backend.example.com", TrustedCaPem = [_otherCaPem] });

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True((int)response.StatusCode >= 500);
    }

    [Fact]
    public async Task A_certificate_without_the_sni_name_is_refused()
    {
        var response = await SendThroughAsync(new UpstreamTlsIr { Sni = "mismatch.example.com", TrustedCaPem = [_caPem] });

        Assert.True((int)response.StatusCode >= 500);
    }

    [Fact]
    public async Task Nothing_trusted_means_no_connection()
    {
        var response = await SendThroughAsync(new UpstreamTlsIr { Sni = "backend.example.com" });

        Assert.True((int)response.StatusCode >= 500);
    }

    [Theory]
    [InlineData(UpstreamSanType.Uri, "spiffe://example.com/backend", true)]
    [InlineData(UpstreamSanType.Uri, "spiffe://example.com/other", false)]
    [InlineData(UpstreamSanType.Hostname, "other.example.com", true)]
    [InlineData(UpstreamSanType.Hostname, "dce.example.com", false)]
    public async Task Subject_alt_names_replace_the_sni_check(UpstreamSanType type, string value, bool accepted)
    {
        // The SNI is not a name of the certificate: only the listed SANs decide.
        var response = await SendThroughAsync(new UpstreamTlsIr
        {
            Sni = "sni-only.example.com",
            TrustedCaPem = [_caPem],
            SubjectAltNames = [new UpstreamSubjectAltNameIr { Type = type, Value = value }],
        });

        Assert.Equal(accepted, response.StatusCode == HttpStatusCode.OK);
        if (accepted)
        {
            Assert.Equal("sni-only.example.com", response.Header("x-sni"));
        }
    }
}
