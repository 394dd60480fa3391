using System.Net;
using System.Net.Http.Json;

namespace Weft.Proxy.Tests;

/// <summary>Three echo backends shared by the tests of a class.</summary>
public sealed class Upstreams : IAsyncLifetime
{
    internal Upstream A { get; private set; } = null!;
    internal Upstream B { get; private set; } = null!;
    internal Upstream C { get; private set; } = null!;

    /// <summary>HTTP/2 only (prior knowledge), for H2c clusters.</summary>
    internal Upstream H2 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await Upstream.StartAsync("a");
        B = await Upstream.StartAsync("b");
        C = await Upstream.StartAsync("c");
        H2 = await Upstream.StartAsync("h2", Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
        await H2.DisposeAsync();
    }
}

internal static class Http
{
    public static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static HttpRequestMessage Request(int port, string host, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<(HttpStatusCode Status, Echo? Echo, HttpResponseMessage Response)> SendAsync(
        this HttpClient client, int port, string host, string path, params (string Name, string Value)[] headers)
    {
        var response = await client.SendAsync(Request(port, host, path, headers));
        Echo? echo = response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<Echo>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
            : null;
        return (response.StatusCode, echo, response);
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
