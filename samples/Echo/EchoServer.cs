using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Weft.Samples.Echo;

/// <summary>
/// A running echo backend. Tests start instances in-process on port 0 and read <see cref="Uri"/>;
/// the program does the same and prints it.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    // Long delays and open WebSockets must not hold a stopping instance for the default 30 s.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private EchoServer(WebApplication app, EchoOptions options, IPEndPoint endPoint, IPEndPoint? h2cEndPoint, IPEndPoint? httpsEndPoint)
    {
        _app = app;
        Options = options;
        EndPoint = endPoint;
        H2cEndPoint = h2cEndPoint;
        HttpsEndPoint = httpsEndPoint;
    }

    public EchoOptions Options { get; }

    /// <summary>The bound main endpoint (HTTP/1.1 and h2c), with the real port.</summary>
    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary><c>http://address:port/</c> of the main endpoint.</summary>
    public Uri Uri => ToUri("http", EndPoint);

    /// <summary>The h2c-only endpoint, when <see cref="EchoOptions.H2cPort"/> was set.</summary>
    public IPEndPoint? H2cEndPoint { get; }

    public Uri? H2cUri => H2cEndPoint is null ? null : ToUri("http", H2cEndPoint);

    /// <summary>The TLS endpoint, when <see cref="EchoOptions.Https"/> was set.</summary>
    public IPEndPoint? HttpsEndPoint { get; }

    public Uri? HttpsUri => HttpsEndPoint is null ? null : ToUri("https", HttpsEndPoint);

    public static async Task<EchoServer> StartAsync(EchoOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The empty builder reads no configuration, so ASPNETCORE_URLS, appsettings files and the
        // like cannot move or add listeners: the options alone decide.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        if (options.Https is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        ListenOptions? main = null, h2c = null, https = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // h2c clients send ":scheme http" on connections H2cPriorKnowledge marks as TLS.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                if (options.Grpc)
                {
                    // gRPC over cleartext is HTTP/2 with prior knowledge only, as grpc-go serves it.
                    listen.Protocols = HttpProtocols.Http2;
                }
                else
                {
                    // Protocols stay at the default (HTTP/1.1 and HTTP/2); setting them explicitly
                    // only adds Kestrel's startup warning that HTTP/2 needs TLS, which the
                    // middleware makes untrue.
                    listen.Use(H2cPriorKnowledge.Middleware(kestrel.Limits.KeepAliveTimeout));
                }

                main = listen;
            });
            if (options.H2cPort is { } h2cPort && !options.Grpc)
            {
                kestrel.Listen(options.Address, h2cPort, listen =>
                {
                    // HTTP/1 is accepted only to be refused with echo-basic's 400.
                    listen.Use(H2cPriorKnowledge.Middleware(kestrel.Limits.KeepAliveTimeout));
                    h2c = listen;
                });
            }

            if (options.Https is { } tls)
            {
                kestrel.Listen(options.Address, tls.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(Https(tls));
                    https = listen;
                });
            }
        });

        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // stderr only: stdout carries the "listening on" line and the per-request echo lines.
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        if (options.Grpc)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddGrpc();
            // The empty builder registers no routing; gRPC services are endpoints.
            builder.Services.AddRouting();
        }

        var app = builder.Build();
        try
        {
            // Kestrel writes the bound port back into ListenOptions once it has bound, so a
            // request's local port tells the h2c-only listener apart from the others.
            if (options.Grpc)
            {
                // Anything but the echo service's methods gets gRPC's own UNIMPLEMENTED.
                app.UseRouting();
                app.MapGrpcService<GrpcEchoService>();
            }
            else
            {
                var handler = new EchoHandler(options, context =>
                    h2c is not null && context.Connection.LocalPort == ((IPEndPoint)h2c.EndPoint).Port);
                app.UseWebSockets();
                app.Run(handler.HandleAsync);
            }

            await app.StartAsync(cancellationToken);
            return new EchoServer(app, options, Bound(main), h2c is null ? null : Bound(h2c), https is null ? null : Bound(https));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C in the program, or disposal).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static HttpsConnectionAdapterOptions Https(EchoHttpsOptions tls)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = tls.Certificate,
            ServerCertificateChain = tls.CertificateChain,
            // Go only asks for client certificates when it has CAs to check them against.
            ClientCertificateMode = tls.ClientCertificateAuthorities is null
                ? ClientCertificateMode.NoCertificate
                : ClientCertificateMode.AllowCertificate,
        };
        if (tls.ClientCertificateAuthorities is { } authorities)
        {
            https.ClientCertificateValidation = (certificate, _, _) => IsTrustedClient(certificate, authorities);
        }

        return https;
    }

    // Go's VerifyClientCertIfGiven: chains to one of the given roots and is fit for client auth.
    private static bool IsTrustedClient(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    private static IPEndPoint Bound(ListenOptions? listen) =>
        listen?.EndPoint as IPEndPoint ?? throw new InvalidOperationException("Kestrel did not bind the echo endpoint.");

    private static Uri ToUri(string scheme, IPEndPoint endPoint) => new($"{scheme}://{endPoint}/");
}
