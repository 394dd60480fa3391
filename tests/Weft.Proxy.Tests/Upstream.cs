using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Weft.Proxy.Tests;

/// <summary>A tiny echo backend: answers JSON describing the request it received.</summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Upstream(string name, WebApplication app, int port)
    {
        Name = name;
        _app = app;
        Port = port;
    }

    public string Name { get; }
    public int Port { get; }

    /// <param name="beforeResponse">Runs before the echo is written, e.g. to signal arrival and hold the response.</param>
    /// <param name="observe">Sees every request it answers (as the echo describes it), e.g. to record mirrored copies.</param>
    public static async Task<Upstream> StartAsync(string name, HttpProtocols protocols = HttpProtocols.Http1, Func<Task>? beforeResponse = null, Action<Echo>? observe = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (beforeResponse is not null)
            {
                await beforeResponse();
            }

            var request = context.Request;
            var body = new Echo
            {
                Name = name,
                Method = request.Method,
                Path = request.Path.Value ?? "",
                RawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
                Query = request.QueryString.Value ?? "",
                Host = request.Host.Value ?? "",
                Protocol = request.Protocol,
                Headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            };
            observe?.Invoke(body);
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-upstream"] = name;
            await context.Response.WriteAsync(JsonSerializer.Serialize(body));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Upstream(name, app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record Echo
{
    public string Name { get; init; } = "";
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";

    /// <summary>The request target exactly as it arrived (Path is Kestrel's decoded view of it).</summary>
    public string RawTarget { get; init; } = "";
    public string Query { get; init; } = "";
    public string Host { get; init; } = "";
    public string Protocol { get; init; } = "";
    public Dictionary<string, string> Headers { get; init; } = [];
}
