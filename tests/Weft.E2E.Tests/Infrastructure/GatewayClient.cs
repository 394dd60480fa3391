using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>Sends requests to a gateway address with a chosen Host header, as curl -H Host: would.</summary>
internal sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;

    public GatewayClient(Uri gateway)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public async Task<GatewayResponse> GetAsync(string host, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }

        return new GatewayResponse(response.StatusCode, body, json);
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record GatewayResponse(HttpStatusCode Status, string Body, JsonNode? Json)
{
    /// <summary>The echo backend's service name, or null when another kind of response came back.</summary>
    public string? Service => Json?["service"]?.GetValue<string>();

    public string? Pod => Json?["pod"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Service ?? Body[..Math.Min(200, Body.Length)]}";
}
