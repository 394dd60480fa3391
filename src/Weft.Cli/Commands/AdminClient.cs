using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Weft.Identity;

namespace Weft.Cli.Commands;

/// <summary>
/// Talks to a running control plane's API, presenting the local credential (docs/security.md) so the
/// user never handles it. Errors become one clear line, never a stack trace.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    // A `weft up` started a moment ago may not be listening yet (scripts start both at once): a refused
    // connection is retried for this long before the CLI says no control plane answers.
    private static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private string? _token;

    /// <param name="token">The credential to present; null reads $WEFT_TOKEN or ~/.weft/credential.</param>
    public AdminClient(string server, string? token = null)
    {
        Server = server.TrimEnd('/');
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = new Uri(Server + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        UseToken(token ?? LocalCredential.ReadForClient());
    }

    public string Server { get; }

    /// <summary>The credential presented (null when this user has none: no `weft up` has run as them).</summary>
    public string? Token => _token;

    private void UseToken(string? token)
    {
        _token = token;
        _http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<JsonNode> GetAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.GetAsync(path, ct)).ConfigureAwait(false);
        return await ReadAsync(response, ct).ConfigureAwait(false);
    }

    public async Task<(bool Ok, JsonNode Body)> PostYamlAsync(string path, string yaml, string file, CancellationToken ct)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await SendAsync(() =>
        {
            // A large body waits for the server's go-ahead: one over the API's limit is refused (413)
            // from its headers alone, without uploading it first.
            var request = new HttpRequestMessage(HttpMethod.Post, $"{path}?file={Uri.EscapeDataString(file)}") { Content = content };
            request.Headers.ExpectContinue = yaml.Length > 64 * 1024;
            return _http.SendAsync(request, ct);
        }).ConfigureAwait(false);
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        return (response.IsSuccessStatusCode, body);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = Environment.TickCount64 + (long)StartupGrace.TotalMilliseconds;
        while (true)
        {
            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && Environment.TickCount64 < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false);

                // The first `weft up` of a user writes the credential as it starts: look again.
                if (_token is null)
                {
                    UseToken(LocalCredential.ReadForClient());
                }
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"no Weft control plane answers at {Server} ({e.Message}); start one with `weft up -f FILE` or set --server");
            }
        }
    }

    // The answer's JSON, read once. 401/403 are about the caller, not the request: they become an error
    // that says what to do about the credential.
    private async Task<JsonNode> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return (text.Length == 0 ? null : JsonNode.Parse(text)) ?? new JsonObject();
        }

        string? error = null;
        try
        {
            error = JsonNode.Parse(text)?["error"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var hint = Token is null
            ? $" (no credential: {LocalCredential.FilePath} does not exist — `weft up` creates it — and ${LocalCredential.TokenVariable} is not set)"
            : "";
        throw new CliException($"the control plane at {Server} refused the request: {error ?? response.ReasonPhrase}{hint}");
    }

    private async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
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
