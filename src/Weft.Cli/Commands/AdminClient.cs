using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Weft.Cli.Commands;

/// <summary>Talks to a running control plane's API. Errors become one clear line, never a stack trace.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(string server)
    {
        Server = server.TrimEnd('/');
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = new Uri(Server + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string Server { get; }

    public async Task<JsonNode> GetAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.GetAsync(path, ct)).ConfigureAwait(false);
        return await ReadAsync(response, ct).ConfigureAwait(false);
    }

    public async Task<(bool Ok, JsonNode Body)> PostYamlAsync(string path, string yaml, string file, CancellationToken ct)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await SendAsync(() => _http.PostAsync($"{path}?file={Uri.EscapeDataString(file)}", content, ct)).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct).ConfigureAwait(false) ?? new JsonObject();
        return (response.IsSuccessStatusCode, body);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"no Weft control plane answers at {Server} ({e.Message}); start one with `weft up -f FILE` or set --server");
        }
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct).ConfigureAwait(false) ?? new JsonObject();
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(body["error"]?.GetValue<string>() ?? $"the control plane answered {(int)response.StatusCode}");
        }

        return body;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An error the CLI reports as one line on stderr, with exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
