using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.ControlPlane.Hosting;
using Weft.Identity;

namespace Weft.ControlPlane.Tests;

/// <summary>
/// The API on its real port refuses every caller but the administrator: no credential, a wrong one,
/// a proxy's, a foreign Host (DNS rebinding), a browser's Origin, a change sent as a type a page may
/// post cross-origin. And what it returns never carries a private key.
/// </summary>
public sealed class ApiSecurityTests : IAsyncLifetime
{
    private const string ServiceYaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: probe
          namespace: default
        spec:
          ports:
          - port: 80
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-sec-" + Guid.NewGuid().ToString("n")[..8]);
    private ControlPlaneServer _server = null!;
    private string _keyPem = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var (secret, key) = SecurityFixture.TlsSecret("site-cert", "site.example");
        _keyPem = key;
        await File.WriteAllTextAsync(Path.Combine(_dir, "gw.yaml"), secret + "\n---\n" + SecurityFixture.HttpsGateway("gw", 443, "site-cert", "site.example"));
        _server = await ControlPlaneServer.StartAsync(
            new ControlPlaneOptions { Paths = [_dir], XdsPort = 0, AdminPort = 0, PortOffset = 20000 },
            NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("GET", "/version")]
    [InlineData("GET", "/api/v1/secrets")]
    [InlineData("GET", "/api/v1/config")]
    [InlineData("GET", "/api/v1/proxies")]
    [InlineData("GET", "/api/v1/diagnostics")]
    [InlineData("POST", "/api/v1/apply")]
    [InlineData("POST", "/api/v1/delete")]
    public async Task Every_endpoint_refuses_a_caller_without_the_credential(string method, string path)
    {
        using var anonymous = await SendAsync(method, path, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("credential", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = await SendAsync(method, path, token: LocalCredential.Generate());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // A proxy's token proves a proxy, not an administrator.
        using var proxy = await SendAsync(method, path, token: ProxyTokens.Mint(_server.Credential, ProxyTokens.GatewayScope("default", "gw")));
        Assert.Equal(HttpStatusCode.Forbidden, proxy.StatusCode);
        Assert.DoesNotContain(_server.Store.View.Keys, k => k.Name == "probe");
    }

    [Fact]
    public async Task The_administrator_credential_gets_in_and_the_readiness_probe_needs_none()
    {
        using var version = await SendAsync("GET", "/version", _server.Credential);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal("no-store", version.Headers.CacheControl?.ToString());

        using var ready = await SendAsync("GET", "/healthz/ready", token: null);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        using var apply = await SendAsync("POST", "/api/v1/apply", _server.Credential, ServiceYaml, "application/yaml");
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Contains(_server.Store.View.Keys, k => k.Name == "probe");
    }

    [Fact]
    public async Task Readiness_turns_503_when_shutdown_begins()
    {
        using var before = await SendAsync("GET", "/healthz/ready", token: null);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        _server.BeginShutdown();
        using var after = await SendAsync("GET", "/healthz/ready", token: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
    }

    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("weft.internal")]
    [InlineData("localhost.attacker.example")]
    public async Task A_host_name_other_than_localhost_is_refused_even_with_the_credential(string host)
    {
        // DNS rebinding: a page's own name now resolves to 127.0.0.1; the browser sends that name as Host.
        var (status, body) = await RawAsync($"GET /api/v1/secrets HTTP/1.1\r\nHost: {host}:{_server.AdminAddress.Port}\r\nAuthorization: Bearer {_server.Credential}\r\nConnection: close\r\n\r\n");
        Assert.Equal(403, status);
        Assert.Contains("is not allowed", body, StringComparison.Ordinal);
        Assert.DoesNotContain(SecurityFixture.KeyBody(_keyPem), body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Loopback_names_and_IP_literals_are_accepted(string host)
    {
        var (status, _) = await RawAsync($"GET /version HTTP/1.1\r\nHost: {host}:{_server.AdminAddress.Port}\r\nAuthorization: Bearer {_server.Credential}\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_cross_origin_text_plain_post_from_a_page_changes_nothing()
    {
        // What a page can send without a preflight: a "simple" POST with text/plain. Even with the
        // credential (a page cannot have it) the Origin alone refuses it.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.AdminAddress, "/api/v1/apply"))
        {
            Content = new StringContent(ServiceYaml, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "http://attacker.example");
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.DoesNotContain(_server.Store.View.Keys, k => k.Name == "probe");

        // A preflight gets no CORS grant either.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.AdminAddress, "/api/v1/apply"));
        preflight.Headers.Add("Origin", "http://attacker.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await http.SendAsync(preflight);
        Assert.False(answer.IsSuccessStatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_change_in_a_content_type_that_is_not_the_APIs_is_refused(string? contentType)
    {
        using var response = await SendAsync("POST", "/api/v1/apply", _server.Credential, ServiceYaml, contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.DoesNotContain(_server.Store.View.Keys, k => k.Name == "probe");
    }

    [Fact]
    public async Task No_answer_carries_a_private_key()
    {
        var keyBody = SecurityFixture.KeyBody(_keyPem);
        var keyBase64 = Convert.ToBase64String(Encoding.ASCII.GetBytes(_keyPem));

        using var secrets = await SendAsync("GET", "/api/v1/secrets", _server.Credential);
        var json = await secrets.Content.ReadAsStringAsync();
        var secret = JsonNode.Parse(json)!["items"]!.AsArray().Single()!;
        var text = SecurityFixture.Strings(json);
        Assert.Equal("[redacted]", secret["data"]!["tls.key"]!.GetValue<string>());
        Assert.NotEqual("[redacted]", secret["data"]!["tls.crt"]!.GetValue<string>());
        Assert.DoesNotContain(keyBase64[..40], text, StringComparison.Ordinal);

        // The proxies' config (as a config dump) uses the key and shows it redacted.
        using var config = await SendAsync("GET", "/api/v1/config", _server.Credential);
        var dumpJson = await config.Content.ReadAsStringAsync();
        Assert.Contains("\"privateKeyPem\":\"[redacted]\"", dumpJson.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var dump = SecurityFixture.Strings(dumpJson);
        Assert.Contains("BEGIN CERTIFICATE", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", dump, StringComparison.Ordinal);

        // The key is still what the proxy is given: redaction is of answers only.
        Assert.Contains(keyBody, SecurityFixture.Strings(Encoding.UTF8.GetString(_server.Cache.Get("default/gw").Json)), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token, string? body = null, string? contentType = "application/yaml")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_server.AdminAddress, path));
        if (method == "POST")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ServiceYaml));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    // A request with exactly the Host given (HttpClient would make it the URL's).
    private async Task<(int Status, string Body)> RawAsync(string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, _server.AdminAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }
}
