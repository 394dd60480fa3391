using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.ControlPlane.Admin;
using Weft.ControlPlane.Distribution;
using Weft.ControlPlane.Security;
using Weft.ControlPlane.Sources.File;
using Weft.ControlPlane.Status;
using Weft.ControlPlane.Store;

namespace Weft.ControlPlane.Hosting;

/// <summary>
/// The control plane as one object: the store, the file source, the translation loop, the
/// distribution server (gRPC, h2c) and the API. Both ports are real sockets; `weft up` runs this
/// and its gateway proxies connect to <see cref="XdsAddress"/> like any remote proxy would.
/// </summary>
public sealed class ControlPlaneServer : IAsyncDisposable
{
    private WebApplication? _app;

    private ControlPlaneServer(ControlPlaneOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Store = new ResourceStore(time);
        Status = new StatusStore(time);
        Cache = new SnapshotCache();
        Proxies = new ProxyRegistry();
        Engine = new ControlPlaneEngine(Store, Status, Cache, options, loggerFactory.CreateLogger<ControlPlaneEngine>());
        Credential = options.Credential ?? Identity.LocalCredential.Generate();
        Authenticator = new CallerAuthenticator(Credential);
        Time = time;
        Changes = new ChangeGate(options.ApiLimits);
        if (options.Paths.Count > 0)
        {
            Files = new FileSource(options.Paths, Store, loggerFactory.CreateLogger<FileSource>());
        }
    }

    public ControlPlaneOptions Options { get; }
    public ILoggerFactory LoggerFactory { get; }
    public TimeProvider Time { get; }
    public ResourceStore Store { get; }
    public StatusStore Status { get; }
    public SnapshotCache Cache { get; }
    public ProxyRegistry Proxies { get; }
    public ControlPlaneEngine Engine { get; }
    public FileSource? Files { get; }

    /// <summary>The administrator credential: the API and the distribution stream accept it (docs/security.md).</summary>
    public string Credential { get; }

    public CallerAuthenticator Authenticator { get; }

    /// <summary>Bounds the applies and deletes in progress.</summary>
    internal ChangeGate Changes { get; }

    /// <summary>Set by <see cref="BeginShutdown"/>: `/healthz/ready` answers 503 from then on.</summary>
    public bool ShuttingDown => Volatile.Read(ref _shuttingDown);

    private bool _shuttingDown;

    /// <summary>Turns readiness to 503 while everything still serves; the host drains its proxies next.</summary>
    public void BeginShutdown() => Volatile.Write(ref _shuttingDown, true);

    /// <summary>The distribution endpoint, e.g. http://127.0.0.1:15010.</summary>
    public Uri XdsAddress { get; private set; } = null!;

    /// <summary>The API endpoint, e.g. http://127.0.0.1:15014.</summary>
    public Uri AdminAddress { get; private set; } = null!;

    public static async Task<ControlPlaneServer> StartAsync(ControlPlaneOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null, CancellationToken ct = default)
    {
        var server = new ControlPlaneServer(options, loggerFactory, time ?? TimeProvider.System);
        await server.StartCoreAsync(ct).ConfigureAwait(false);
        return server;
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(LoggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton(Cache);
        builder.Services.AddSingleton(Proxies);
        builder.Services.AddSingleton(Time);
        builder.Services.AddSingleton(Authenticator);
        builder.Services.AddSingleton(Options);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        // A proxy sends only Hello, ACK and NACK: 1 MiB bounds what an authenticated but buggy or hostile
        // proxy can make the control plane hold (gRPC's default is 4 MiB per message).
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 1024 * 1024);
        var address = IPAddress.Parse(Options.BindAddress);
        ListenOptions? xds = null;
        ListenOptions? admin = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Nothing legitimate is large on either port: snapshots flow out, and API bodies have their own cap.
            k.Limits.MaxConcurrentConnections = Options.MaxProxyStreams + 64;
            k.Listen(address, Options.XdsPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                xds = l;
            });
            k.Listen(address, Options.AdminPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                admin = l;
            });
        });
        var app = builder.Build();

        // Each port serves only its own protocol: the distribution service on the distribution port
        // (it authenticates each stream itself), the API on the API port behind ApiGuard.
        app.Use(async (context, next) =>
        {
            var port = context.Connection.LocalPort;
            var distribution = context.Request.Path.StartsWithSegments(DistributionService.PathPrefix, StringComparison.Ordinal);
            if (distribution ? port != xds!.IPEndPoint!.Port : port != admin!.IPEndPoint!.Port)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!distribution && ApiGuard.Check(context.Request, Authenticator) is { } refusal)
            {
                await ApiGuard.RefuseAsync(context, refusal.Status, refusal.Error).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next(context).ConfigureAwait(false);
        });
        app.MapGrpcService<DistributionService>();
        AdminApi.Map(app, this);

        // Read the files before serving, so the first proxy connection gets real config.
        Files?.Start();
        Engine.Start();
        await app.StartAsync(ct).ConfigureAwait(false);
        _app = app;

        // Kestrel writes the bound port back into the listen options, so port 0 works.
        XdsAddress = new Uri($"http://{Options.BindAddress}:{xds!.IPEndPoint!.Port}");
        AdminAddress = new Uri($"http://{Options.BindAddress}:{admin!.IPEndPoint!.Port}");
        await Engine.WaitForTranslationAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        BeginShutdown();
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(cts.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (Files is not null)
        {
            await Files.DisposeAsync().ConfigureAwait(false);
        }

        await Engine.DisposeAsync().ConfigureAwait(false);
        Changes.Dispose();
    }
}
