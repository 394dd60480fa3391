using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>Requests RFC 9110/9112 say to refuse, sent over raw sockets: 400, and the upstream never sees them.</summary>
public sealed class MalformedRequestTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();
    private readonly int _port = FreePort.Next();

    public async Task InitializeAsync()
    {
        var result = await _proxy.ApplyAsync(
            Gateway([Http(_port, Listener("http", null, Host("*", Route("all", To("a")))))], Cluster(upstreams.A)),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\nConnection: close\r\n\r\nhello")]
    [InlineData("GET / HTTP/1.1\nHost: h\nConnection: close\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\nX-B: 2\r\nConnection: close\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Bad: \u00ff\u00fe\r\nConnection: close\r\n\r\n")]
    public async Task Is_400(string request)
    {
        var response = await RawHttp.SendAsync(_port, request);

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task A_valid_utf8_header_value_reaches_the_upstream_as_the_same_bytes()
    {
        var response = await RawHttp.SendAsync(_port, "GET / HTTP/1.1\r\nHost: h\r\nX-Utf8: caf\u00c3\u00a9\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);

        // RawHttp reads Latin-1; the echo's JSON is UTF-8.
        var echo = System.Text.Json.JsonSerializer.Deserialize<Echo>(System.Text.Encoding.Latin1.GetBytes(response.Body), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal("caf\u00e9", echo.Headers["x-utf8"]);
    }

    /// <summary>
    /// Kestrel parses a signed Content-Length ("+5") as the number and keeps no raw value, so the proxy
    /// cannot refuse it (see docs/ARCHITECTURE.md); what it must not do is let the upstream frame the body
    /// differently. The upstream gets the canonical "5" and exactly those five bytes.
    /// </summary>
    [Fact]
    public async Task A_signed_content_length_reaches_the_upstream_canonical()
    {
        var response = await RawHttp.SendAsync(_port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\nConnection: close\r\n\r\nhello");

        Assert.Equal(200, response.Status);
        Assert.Equal("5", response.Echo!.Headers["content-length"]);
    }

    [Fact]
    public async Task A_plain_content_length_still_works()
    {
        var response = await RawHttp.SendAsync(_port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");

        Assert.Equal(200, response.Status);
    }
}

/// <summary>x-request-id: replaced at the edge by default, kept when configured and well-formed.</summary>
public sealed class RequestIdTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private async Task<string> UpstreamSeesAsync(bool preserve, string? clientId)
    {
        var port = FreePort.Next();
        await using var proxy = new GatewayProxy(new GatewayProxyOptions { PreserveExternalRequestId = preserve });
        var result = await proxy.ApplyAsync(
            Gateway([Http(port, Listener("http", null, Host("*", Route("all", To("a")))))], Cluster(upstreams.A)),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        var response = await RawHttp.GetAsync(port, "/", extraHeaders: clientId is null ? "" : $"x-request-id: {clientId}\r\n");
        return response.Echo!.Headers["x-request-id"];
    }

    [Fact]
    public async Task A_client_id_is_replaced_by_default()
    {
        var seen = await UpstreamSeesAsync(false, "forged-by-client");

        Assert.NotEqual("forged-by-client", seen);
        Assert.NotEmpty(seen);
    }

    [Fact]
    public async Task A_well_formed_client_id_is_kept_when_preserving()
    {
        Assert.Equal("abc-123", await UpstreamSeesAsync(true, "abc-123"));
    }

    [Theory]
    [InlineData(129)]
    [InlineData(-1)]
    public async Task A_malformed_client_id_is_replaced_even_when_preserving(int length)
    {
        var id = length < 0 ? "has space" : new string('x', length);

        Assert.NotEqual(id, await UpstreamSeesAsync(true, id));
    }

    [Fact]
    public async Task A_request_without_id_gets_one()
    {
        Assert.NotEmpty(await UpstreamSeesAsync(true, null));
    }
}
