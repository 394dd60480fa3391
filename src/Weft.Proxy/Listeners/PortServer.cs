using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using Weft.Proxy.Model;

namespace Weft.Proxy.Listeners;

/// <summary>
/// One Kestrel server on one (address, port). Its request delegate and TLS callback read
/// <see cref="Current"/>, so a new snapshot is served by swapping one reference; the socket stays open.
/// </summary>
internal sealed class PortServer
{
    private readonly WebApplication _app;
    private volatile ServingPort _current;

    private PortServer(BindKey key, ListenerProtocol protocol, ServingPort initial, WebApplication app)
    {
        Key = key;
        Protocol = protocol;
        _current = initial;
        _app = app;
    }

    public BindKey Key { get; }
    public ListenerProtocol Protocol { get; }

    /// <summary>The port actually bound (differs from <see cref="BindKey.Port"/> only when that is 0).</summary>
    public int ActualPort { get; private set; }

    public ServingPort Current
    {
        get => _current;
        set => _current = value;
    }

    /// <summary>Binds and starts serving <paramref name="initial"/>; throws (IOException and the like) when the bind fails.</summary>
    public static async Task<PortServer> StartAsync(BindKey key, ServingPort initial, ProxyHandler handler, GatewayProxyOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (!TryParseAddress(key.Address, out var address))
        {
            throw new ArgumentException($"{key.Address} is not an IP address");
        }

        Http1Strictness.Apply();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var protocol = initial.Port.Ir.Protocol;
        if (IoScheduling.Inline)
        {
            // Paired with the runtime's inline socket completions (see IoScheduling): each connection
            // is scheduled from its first bytes, HTTP/1.1 inline, HTTP/2 (h2c's preface, or "h2" in a
            // TLS ClientHello's ALPN offer) queued.
            var tls = protocol != ListenerProtocol.Http;
            builder.Services.RemoveAll<IConnectionListenerFactory>();
            builder.Services.AddSingleton<IConnectionListenerFactory>(services => new SchedulingSocketTransport(services.GetRequiredService<ILoggerFactory>(), tls));
        }

        // Kestrel's own chatter (connection resets, bad requests) stays below Warning; the proxy logs what matters.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // ASP.NET Core's hosting layer starts an Activity and a logging scope for every request as soon
        // as its own category logs at any level. Weft originates no spans (a client's trace context
        // passes through to the upstream untouched, as it does through a proxy with no tracer), so
        // those were pure cost: about a fifth of the bytes a proxied request allocated, including the
        // child Activity SocketsHttpHandler then started to inject a traceparent nobody recorded.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // Not the process's lifetime: SIGTERM belongs to the host that owns the GatewayProxy.
        builder.Services.AddSingleton<IHostLifetime, DetachedLifetime>();

        PortServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Kestrel's default (30 MB) cut streamed uploads off part-way, after the upstream had
            // received the rest of the request. The proxy streams bodies, so by default there is no
            // limit (as in Envoy); a configured one is enforced here for chunked bodies and by the
            // handler for a Content-Length, before anything is forwarded.
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize;

            // HTTP/2 streams on sniffed h2c connections carry :scheme "http" while the connection looks
            // TLS to Kestrel (see H2cPriorKnowledge); the handler sets the real scheme from the port.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(address, key.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (protocol == ListenerProtocol.Http)
                {
                    listen.Use(H2cPriorKnowledge.Use);
                }
                else
                {
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = context => SelectCertificate(server!, context),
                    });
                }
            });
        });

        var app = builder.Build();
        server = new PortServer(key, protocol, initial, app);
        app.Run(context => handler.HandleAsync(context, server.Current));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Off the request path and once per process: see SocketThreadPolicy.
        _ = SocketThreadPolicy.ApplyWhenStarted();

        server.ActualPort = key.Port;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is not null)
        {
            foreach (var bound in addresses)
            {
                if (Uri.TryCreate(bound, UriKind.Absolute, out var uri))
                {
                    server.ActualPort = uri.Port;
                    break;
                }
            }
        }

        return server;
    }

    /// <summary>Stops accepting, lets in-flight requests finish within <paramref name="drain"/>, then closes.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        using var timeout = new CancellationTokenSource(drain);
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectCertificate(PortServer server, TlsHandshakeCallbackContext context)
    {
        var serving = server.Current;
        var certificate = serving.Tls?.Select(serving.Port, context.ClientHelloInfo.ServerName)
            ?? throw new AuthenticationException($"no certificate for server name '{context.ClientHelloInfo.ServerName}'");
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        });
    }

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        return IPAddress.TryParse(text, out address!);
    }

    private sealed class DetachedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

/// <summary>Where a server listens: the snapshot's bind address and port.</summary>
internal readonly record struct BindKey(string Address, int Port)
{
    public override string ToString() => $"{Address}:{Port}";
}
