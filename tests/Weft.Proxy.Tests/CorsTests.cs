using System.Net;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>The CORS filter over real sockets: preflights answered by the proxy, headers on actual responses.</summary>
public sealed class CorsTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();
    private readonly HttpClient _client = Http.Client();
    private readonly int _port = FreePort.Next();

    public async Task InitializeAsync()
    {
        RouteIr Cors(string name, CorsIr cors) => Route(name, Prefix("/" + name), To("a")) with { Filters = [cors] };
        var snapshot = Gateway(
            [Http(_port, Listener("http", null, Host("*",
                Cors("creds", new CorsIr
                {
                    AllowOrigins = ["https://app.example", "https://*.example.org"],
                    AllowCredentials = true,
                    AllowMethods = ["*"],
                    AllowHeaders = ["*"],
                    ExposeHeaders = ["x-trace"],
                    MaxAge = 60,
                }),
                Cors("any", new CorsIr { AllowOrigins = ["*"], AllowMethods = ["GET", "PUT"], AllowHeaders = ["x-a", "x-b"] }))))],
            Cluster(upstreams.A));
        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method, string? headers = null)
    {
        var request = Http.Request(_port, "h", path, ("Origin", origin), ("Access-Control-Request-Method", method));
        request.Method = HttpMethod.Options;
        if (headers is not null)
        {
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", headers);
        }

        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task Actual_request_from_an_allowed_origin_gets_origin_credentials_and_exposed_headers()
    {
        var (status, echo, response) = await _client.SendAsync(_port, "h", "/creds", ("Origin", "https://app.example"), ("Cookie", "sid=1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("https://app.example", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("x-trace", response.Header("Access-Control-Expose-Headers"));
        Assert.Equal("https://app.example", echo!.Headers["origin"]);
        Assert.Equal("sid=1", echo.Headers["cookie"]);
    }

    [Fact]
    public async Task Wildcard_origins_match_any_number_of_labels_and_only_the_same_scheme_and_port()
    {
        Assert.Equal("https://a.b.example.org", (await _client.SendAsync(_port, "h", "/creds", ("Origin", "https://a.b.example.org"))).Response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("https://app.example:443", (await _client.SendAsync(_port, "h", "/creds", ("Origin", "https://app.example:443"))).Response.Header("Access-Control-Allow-Origin"));
        Assert.Null((await _client.SendAsync(_port, "h", "/creds", ("Origin", "http://a.example.org"))).Response.Header("Access-Control-Allow-Origin"));
        Assert.Null((await _client.SendAsync(_port, "h", "/creds", ("Origin", "https://example.org"))).Response.Header("Access-Control-Allow-Origin"));
        Assert.Null((await _client.SendAsync(_port, "h", "/creds", ("Origin", "https://app.example:8443"))).Response.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_disallowed_origin_gets_no_cors_headers_but_the_request_is_served()
    {
        var (status, _, response) = await _client.SendAsync(_port, "h", "/creds", ("Origin", "http://not-app.example"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_with_credentials_names_what_was_asked_instead_of_wildcards()
    {
        using var response = await PreflightAsync("/creds", "https://app.example", "DELETE", "x-custom, content-type");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(response.Header("x-upstream")); // answered by the proxy
        Assert.Equal("https://app.example", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("DELETE", response.Header("Access-Control-Allow-Methods"));
        Assert.Equal("x-custom, content-type", response.Header("Access-Control-Allow-Headers"));
        Assert.Equal("60", response.Header("Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Preflight_without_credentials_allows_any_origin_with_star_and_lists_methods_and_headers()
    {
        using var response = await PreflightAsync("/any", "https://anywhere.example", "PUT");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("GET, PUT", response.Header("Access-Control-Allow-Methods"));
        Assert.Equal("x-a, x-b", response.Header("Access-Control-Allow-Headers"));
        Assert.Equal("5", response.Header("Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Preflight_from_a_disallowed_origin_is_204_without_cors_headers()
    {
        using var response = await PreflightAsync("/creds", "https://evil.example", "GET");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task A_plain_options_request_is_forwarded()
    {
        using var request = Http.Request(_port, "h", "/creds", ("Origin", "https://app.example"));
        request.Method = HttpMethod.Options;
        using var response = await _client.SendAsync(request);

        Assert.Equal("a", response.Header("x-upstream"));
    }
}
