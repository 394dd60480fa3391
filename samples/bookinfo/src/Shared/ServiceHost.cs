using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Weft.Bookinfo;

/// <summary>
/// One Bookinfo service on one Kestrel listener. Shared (as linked source) by the four services, so each stays a
/// single self-contained project and image; internal, so the four copies never collide in an assembly that
/// references several services (the tests do).
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    // Delayed ratings (7 s) and slow upstreams must not hold a stopping instance for the default 30 s.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private ServiceHost(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The bound endpoint, with the real port (port 0 resolved).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary><c>http://address:port/</c>.</summary>
    public Uri Uri => new($"http://{EndPoint}/");

    public static async Task<ServiceHost> StartAsync(
        IPAddress address,
        int port,
        Action<IServiceCollection> configureServices,
        Action<WebApplication> configureApp,
        CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration (no ASPNETCORE_URLS, no appsettings): the options alone decide
        // where the service listens.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, options =>
            {
                options.Protocols = HttpProtocols.Http1;
                listen = options;
            });
        });

        // Quiet: warnings and errors only, on stderr; stdout carries the "listening on" line.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddRoutingCore();
        configureServices(builder.Services);

        var app = builder.Build();
        try
        {
            configureApp(app);
            await app.StartAsync(cancellationToken);
            var endPoint = listen?.EndPoint as IPEndPoint ?? throw new InvalidOperationException("Kestrel did not bind the listener.");
            return new ServiceHost(app, endPoint);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C, or disposal).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

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
}
