using System.Net;
using Microsoft.Extensions.Logging;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class RequestPathTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();
    private readonly HttpClient _client = Http.Client();
    private readonly int _port = FreePort.Next();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    private async Task ServeAsync(params RouteIr[] routes) => await ServeAsync([Host("*", routes)]);

    private async Task ServeAsync(VirtualHostIr[] hosts, params ClusterIr[] extraClusters)
    {
        var snapshot = Gateway(
            [Http(_port, Listener("http", null, hosts))],
            [Cluster(upstreams.A), Cluster(upstreams.B), Cluster(upstreams.C), .. extraClusters]);
        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    [Fact]
    public async Task Routes_by_host_path_and_header()
    {
        await ServeAsync(
            [
                Host("a.example.com", Route("host-a", To("a"))),
                Host("*", Route("canary", Prefix("/api") with { Headers = [new StringMatchIr { Name = "X-Canary", Value = "yes" }] }, To("c")),
                          Route("api", Prefix("/api"), To("b")),
                          Route("root", Prefix("/"), To("a"))),
            ]);

        Assert.Equal("a", (await _client.SendAsync(_port, "a.example.com", "/api/x")).Echo!.Name);
        Assert.Equal("b", (await _client.SendAsync(_port, "other.example.com", "/api/x")).Echo!.Name);
        Assert.Equal("c", (await _client.SendAsync(_port, "other.example.com", "/api/x", ("x-canary", "yes"))).Echo!.Name);
        Assert.Equal("a", (await _client.SendAsync(_port, "other.example.com", "/apix")).Echo!.Name);
    }

    [Fact]
    public async Task No_route_is_404_with_flag_NR()
    {
        await ServeAsync(Route("api", Prefix("/api"), To("a")));

        var (status, _, response) = await _client.SendAsync(_port, "example.com", "/other", ("x-weft-debug", "1"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NR", response.Header("x-weft-flags"));
        Assert.Null((await _client.SendAsync(_port, "example.com", "/other")).Response.Header("x-weft-flags"));
    }

    [Fact]
    public async Task Invalid_backend_or_no_backend_is_500()
    {
        await ServeAsync(
            Route("invalid", Prefix("/invalid"), new BackendIr { Cluster = null, Weight = 1, InvalidReason = "BackendNotFound" }),
            Route("zero", Prefix("/zero"), To("a", 0)),
            Route("none", Prefix("/none")));

        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.SendAsync(_port, "h", "/invalid")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.SendAsync(_port, "h", "/zero")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.SendAsync(_port, "h", "/none")).Status);
    }

    [Fact]
    public async Task No_endpoints_is_503_UH_and_refused_connection_is_503_UF()
    {
        await ServeAsync(
            [Host("*", Route("empty", Prefix("/empty"), To("empty")), Route("refused", Prefix("/refused"), To("refused")))],
            Cluster("empty"),
            Cluster("refused", FreePort.Next()));

        var empty = await _client.SendAsync(_port, "h", "/empty", ("x-weft-debug", "1"));
        var refused = await _client.SendAsync(_port, "h", "/refused", ("x-weft-debug", "1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.Status);
        Assert.Equal("UH", empty.Response.Header("x-weft-flags"));
        Assert.Equal("default/empty rule 0", empty.Response.Header("x-weft-route"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("UF", refused.Response.Header("x-weft-flags"));
    }

    [Fact]
    public async Task Weighted_split()
    {
        await ServeAsync(Route("split", To("a", 90), To("b", 10)));

        var a = 0;
        for (var i = 0; i < 1_000; i++)
        {
            if ((await _client.SendAsync(_port, "h", "/")).Echo!.Name == "a")
            {
                a++;
            }
        }

        Assert.InRange(a, 870, 930);
    }

    [Fact]
    public async Task Header_modifiers_both_ways()
    {
        var route = Route("headers", To("a")) with
        {
            Filters =
            [
                new RequestHeaderModifierIr(new HeaderModifierIr
                {
                    Set = [new HeaderValueIr("x-set", "set")],
                    Add = [new HeaderValueIr("x-add", "added")],
                    Remove = ["x-remove"],
                }),
                new ResponseHeaderModifierIr(new HeaderModifierIr
                {
                    Set = [new HeaderValueIr("x-upstream", "overridden")],
                    Add = [new HeaderValueIr("x-response-add", "r")],
                    Remove = ["content-type"],
                }),
            ],
        };
        await ServeAsync(route);

        var response = await _client.SendAsync(Http.Request(_port, "h", "/", ("x-set", "original"), ("x-add", "first"), ("x-remove", "gone")));
        var echo = System.Text.Json.JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        Assert.Equal("set", echo.Headers["x-set"]);
        Assert.Equal("first,added", echo.Headers["x-add"]);
        Assert.False(echo.Headers.ContainsKey("x-remove"));
        Assert.Equal("overridden", response.Header("x-upstream"));
        Assert.Equal("r", response.Header("x-response-add"));
        Assert.Null(response.Content.Headers.ContentType);
    }

    [Theory]
    [InlineData(null, null, null, 302, "/old/page?q=1", "http://example.com/old/page?q=1")]
    [InlineData("https", null, null, 301, "/old/page", "https://example.com/old/page")]
    [InlineData("https", "other.com", 8443, 301, "/old/page", "https://other.com:8443/old/page")]
    [InlineData(null, "other.com", null, 302, "/old/page", "http://other.com/old/page")]
    public async Task Redirect(string? scheme, string? hostname, int? port, int status, string path, string location)
    {
        // The listener's port is 80 as the Gateway declares it, whatever the proxy binds locally.
        var snapshot = Gateway(
            [Http(_port, Listener("http", null, Host("*", Route("redirect", To("a")) with
            {
                Filters = [new RequestRedirectIr { Scheme = scheme, Hostname = hostname, Port = port, StatusCode = status }],
            }))) with { Port = 80 }],
            Cluster(upstreams.A));
        Assert.True((await _proxy.ApplyAsync(snapshot, CancellationToken.None)).Succeeded);

        var (code, _, response) = await _client.SendAsync(_port, "example.com", path);

        Assert.Equal(status, (int)code);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Redirect_keeps_a_non_default_listener_port_and_replaces_the_prefix()
    {
        await ServeAsync(Route("redirect", Prefix("/old"), To("a")) with
        {
            Filters = [new RequestRedirectIr { Path = new PathModifierIr { Type = PathModifierType.ReplacePrefixMatch, Value = "/new" } }],
        });

        var (code, _, response) = await _client.SendAsync(_port, "Example.com:" + _port, "/old/page");

        Assert.Equal(HttpStatusCode.Found, code);
        Assert.Equal($"http://Example.com:{_port}/new/page", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/v2", "/api/x", "/v2/x")]
    [InlineData("/", "/api/x", "/x")]
    [InlineData("/", "/api", "/")]
    public async Task Url_rewrite_of_host_and_prefix(string replacement, string path, string upstreamPath)
    {
        await ServeAsync(Route("rewrite", Prefix("/api"), To("a")) with
        {
            Filters = [new UrlRewriteIr { Hostname = "internal.svc", Path = new PathModifierIr { Type = PathModifierType.ReplacePrefixMatch, Value = replacement } }],
        });

        var echo = (await _client.SendAsync(_port, "example.com", path + "?k=v")).Echo!;

        Assert.Equal(upstreamPath, echo.Path);
        Assert.Equal("?k=v", echo.Query);
        Assert.Equal("internal.svc", echo.Host);
        Assert.Equal("example.com", echo.Headers["x-forwarded-host"]);
    }

    [Fact]
    public async Task Full_path_rewrite()
    {
        await ServeAsync(Route("rewrite", Prefix("/api"), To("a")) with
        {
            Filters = [new UrlRewriteIr { Path = new PathModifierIr { Type = PathModifierType.ReplaceFullPath, Value = "/fixed" } }],
        });

        Assert.Equal("/fixed", (await _client.SendAsync(_port, "example.com", "/api/anything")).Echo!.Path);
    }

    [Fact]
    public async Task Host_is_preserved_and_forwarding_headers_added()
    {
        await ServeAsync(Route("plain", To("a")));

        var echo = (await _client.SendAsync(_port, "Example.com:1234", "/p", ("x-forwarded-for", "10.0.0.1"))).Echo!;
        var second = (await _client.SendAsync(_port, "example.com", "/p", ("x-request-id", "client-id"))).Echo!;
        var third = (await _client.SendAsync(_port, "example.com", "/p")).Echo!;

        Assert.Equal("Example.com:1234", echo.Host);
        Assert.Equal("10.0.0.1, 127.0.0.1", echo.Headers["x-forwarded-for"]);
        Assert.Equal("http", echo.Headers["x-forwarded-proto"]);
        Assert.Equal("Example.com:1234", echo.Headers["x-forwarded-host"]);
        Assert.False(string.IsNullOrEmpty(echo.Headers["x-request-id"]));
        // An edge gateway does not trust a client's id by default (PreserveExternalRequestId).
        Assert.NotEqual("client-id", second.Headers["x-request-id"]);
        Assert.NotEqual(echo.Headers["x-request-id"], third.Headers["x-request-id"]);
        Assert.Equal("127.0.0.1", third.Headers["x-forwarded-for"]);
    }

    [Fact]
    public async Task Trace_context_passes_through_untouched()
    {
        // Weft originates no spans: a client's W3C trace context reaches the upstream as sent, and a
        // request without one is not given one (no unrecorded trace ids invented per request). Logging
        // is on, as in `weft`: ASP.NET Core starts a per-request Activity whenever its hosting
        // category logs, which is what used to put a traceparent on every upstream request.
        using var logging = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new EveryLevelProvider()));
        await using var proxy = new GatewayProxy(loggerFactory: logging);
        var port = FreePort.Next();
        var result = await proxy.ApplyAsync(Gateway([Http(port, Listener("http", null, [Host("*", Route("plain", To("a")))]))], [Cluster(upstreams.A)]), CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        const string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var without = (await _client.SendAsync(port, "example.com", "/p")).Echo!;
        var with = (await _client.SendAsync(port, "example.com", "/p", ("traceparent", traceparent), ("tracestate", "weft=1"))).Echo!;

        Assert.False(without.Headers.ContainsKey("traceparent"), "the proxy invented a traceparent");
        Assert.Equal(traceparent, with.Headers["traceparent"]);
        Assert.Equal("weft=1", with.Headers["tracestate"]);
    }

    private sealed class EveryLevelProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new EveryLevelLogger();

        public void Dispose()
        {
        }

        private sealed class EveryLevelLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }

    [Fact]
    public async Task H2c_downstream_and_upstream()
    {
        await ServeAsync(
            [Host("*", Route("h1", Prefix("/h1"), To("a")), Route("h2", Prefix("/h2"), To("h2")))],
            Cluster(upstreams.H2) with { Protocol = UpstreamProtocol.H2c });

        foreach (var (path, upstreamProtocol) in new[] { ("/h1", "HTTP/1.1"), ("/h2", "HTTP/2") })
        {
            var request = Http.Request(_port, "example.com", path);
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            var response = await _client.SendAsync(request);
            var echo = System.Text.Json.JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(upstreamProtocol, echo.Protocol);
            Assert.Equal("example.com", echo.Host);
        }
    }

    [Fact]
    public async Task Debug_headers_name_the_route()
    {
        await ServeAsync(Route("named", To("a")));

        var response = (await _client.SendAsync(_port, "h", "/", ("x-weft-debug", "1"))).Response;

        Assert.Equal("default/named rule 0", response.Header("x-weft-route"));
    }
}
