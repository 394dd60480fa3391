using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Weft.Proxy.Admin;

/// <summary>
/// The proxy's health endpoint, as Istio's proxies have on 15021: <c>GET /healthz/ready</c> answers 200
/// while <paramref name="ready"/> is true (a snapshot served, its ports bound, no shutdown begun) and
/// 503 otherwise. A Kestrel server of its own, apart from the data plane's ports, so that readiness keeps
/// answering (503) while those drain. Plain HTTP/1.1, no routing middleware (NativeAOT-friendly).
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    /// <summary>Istio's proxy health port.</summary>
    public const int IstioPort = 15021;

    public const string ReadyPath = "/healthz/ready";

    private readonly WebApplication _app;

    private HealthServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>Where it listens (the actual port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0: any free port); throws <see cref="IOException"/> when the port is taken.</summary>
    public static async Task<HealthServer> StartAsync(IPAddress address, int port, Func<bool> ready, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Not the process's lifetime: SIGTERM belongs to the host, which flips readiness first.
        builder.Services.AddSingleton<IHostLifetime, DetachedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port);
        });
        var app = builder.Build();
        app.Run(context =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return Task.CompletedTask;
            }

            if (context.Request.Path != ReadyPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            var isReady = ready();
            context.Response.StatusCode = isReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(isReady ? "ready\n" : "not ready\n", context.RequestAborted);
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var actual = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var uri) ? uri.Port : port;
        return new HealthServer(app, new IPEndPoint(address, actual));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
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
