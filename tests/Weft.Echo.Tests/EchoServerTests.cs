using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

public sealed class EchoServerTests
{
    [Fact]
    public async Task Get_with_query_and_headers_is_echoed_like_echo_basic()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Uri, "/some/path?a=1&b=two%20words"));
        request.Headers.TryAddWithoutValidation("x-lower-case", "v");
        var (response, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.Equal("/some/path?a=1&b=two%20words", echo.Path);
        Assert.Equal($"127.0.0.1:{server.Port}", echo.Host);
        Assert.Equal("GET", echo.Method);
        Assert.Equal("HTTP/1.1", echo.Proto);
        Assert.Equal(["v"], echo.Headers["X-Lower-Case"]);
        Assert.DoesNotContain("Host", echo.Headers.Keys);
        Assert.Null(echo.Tls);
        Assert.Equal("nosniff", EchoHttp.Joined(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Repeated_header_lines_become_an_array_and_host_is_the_raw_header()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);

        // HttpClient folds repeated headers into one line, so this one is written by hand.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint, cts.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /raw?q=%2F HTTP/1.1\r\nHost: Example.COM\r\nX-Multi: one\r\nx-multi: two\r\nConnection: close\r\n\r\n"), cts.Token);
        var raw = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync(cts.Token);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", raw, StringComparison.Ordinal);
        var echo = JsonSerializer.Deserialize(raw[(raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], EchoJsonContext.Default.EchoedRequest);
        Assert.NotNull(echo);
        Assert.Equal(["one", "two"], echo.Headers["X-Multi"]);
        Assert.Equal("Example.COM", echo.Host);
        Assert.Equal("/raw?q=%2F", echo.Path);
        Assert.Equal(["close"], echo.Headers["Connection"]);
    }

    [Fact]
    public async Task Body_is_go_shaped_json_indented_by_one_space_with_sorted_headers()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Uri, "/"));
        request.Headers.TryAddWithoutValidation("Zz-Last", "z");
        request.Headers.TryAddWithoutValidation("Aa-First", "a");

        var body = await (await client.SendAsync(request, cts.Token)).Content.ReadAsStringAsync(cts.Token);

        Assert.StartsWith("{\n \"path\": \"/\",\n \"host\": ", body, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(
            ["path", "host", "method", "proto", "headers", "namespace", "ingress", "service", "pod"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        var names = document.RootElement.GetProperty("headers").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal("Aa-First", names[0]);
    }

    [Fact]
    public async Task Identity_comes_from_the_options()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(
            new EchoOptions { Pod = "infra-backend-v1-abc-xyz", Namespace = "gateway-conformance-infra", Service = "infra-backend-v1", Ingress = "gw" },
            cts.Token);
        using var client = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Uri, "/who"));
        var (_, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.Equal("infra-backend-v1-abc-xyz", echo.Pod);
        Assert.Equal("gateway-conformance-infra", echo.Namespace);
        Assert.Equal("infra-backend-v1", echo.Service);
        Assert.Equal("gw", echo.Ingress);
        Assert.Equal("POST", echo.Method);
    }

    [Fact]
    public async Task H2c_prior_knowledge_on_the_main_port_reports_http2()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Uri, "/h2?x=y"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("x-header-set", "lower on the wire");
        var (response, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2.0", echo.Proto);
        Assert.Equal("/h2?x=y", echo.Path);
        Assert.Equal($"127.0.0.1:{server.Port}", echo.Host);
        Assert.Equal(["lower on the wire"], echo.Headers["X-Header-Set"]);
        Assert.DoesNotContain(echo.Headers.Keys, name => name.StartsWith(':') || name == "Host");
    }

    [Fact]
    public async Task H2c_only_port_refuses_http1_and_echoes_http2()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions { H2cPort = 0 }, cts.Token);
        Assert.NotNull(server.H2cUri);
        using var client = new HttpClient();

        using var http1 = await client.GetAsync(server.H2cUri, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, http1.StatusCode);
        Assert.Equal("Expected h2c request", await http1.Content.ReadAsStringAsync(cts.Token));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.H2cUri, "/grpc-ish"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var (_, echo) = await EchoHttp.SendAsync(client, request, cts.Token);
        Assert.Equal("HTTP/2.0", echo.Proto);

        // The main port still takes HTTP/1.1.
        using var main = await client.GetAsync(server.Uri, cts.Token);
        Assert.Equal(HttpStatusCode.OK, main.StatusCode);
    }

    [Fact]
    public async Task Echo_set_header_becomes_response_headers()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, server.Uri);
        request.Headers.TryAddWithoutValidation("X-Echo-Set-Header", ["X-Foo: 1, X-Foo:2 ,Set-Me:a:b", ""]);
        var (response, _) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.Equal("1,2", EchoHttp.Joined(response, "X-Foo"));
        Assert.Equal("a:b", EchoHttp.Joined(response, "Set-Me"));
        // echo-basic sets these after the requested headers, so they cannot be overridden.
        Assert.Equal("nosniff", EchoHttp.Joined(response, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("/status/418", 418)]
    [InlineData("/status/503", 503)]
    [InlineData("/status/200?x=1", 400)]
    [InlineData("/status/2000", 400)]
    [InlineData("/status/abc", 400)]
    public async Task Status_endpoint_answers_the_code_in_the_exact_target(string target, int expected)
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(server.Uri, target), cts.Token);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(cts.Token));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("//health")]
    public async Task Health_answers_ok_after_collapsing_double_slashes(string target)
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri($"{server.Uri.GetLeftPart(UriPartial.Authority)}{target}"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task Double_slashes_elsewhere_still_echo_the_original_target()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{server.Uri.GetLeftPart(UriPartial.Authority)}/a//b"));
        var (_, echo) = await EchoHttp.SendAsync(client, request, cts.Token);

        Assert.Equal("/a//b", echo.Path);
    }

    [Fact]
    public async Task Delay_waits_and_an_invalid_delay_is_a_500_with_go_message()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var delayed = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Uri, "/slow?delay=20ms"));
        var (_, echo) = await EchoHttp.SendAsync(client, delayed, cts.Token);
        Assert.Equal("/slow?delay=20ms", echo.Path);

        using var invalid = await client.GetAsync(new Uri(server.Uri, "/x?delay=soon"), cts.Token);
        Assert.Equal(HttpStatusCode.InternalServerError, invalid.StatusCode);
        Assert.Equal("application/json", EchoHttp.ContentType(invalid)?.ToString());
        var error = JsonSerializer.Deserialize(await invalid.Content.ReadAsStringAsync(cts.Token), EchoJsonContext.Default.EchoError);
        Assert.Equal("time: invalid duration \"soon\"", error?.Message);
    }

    [Fact]
    public async Task Delay_from_a_form_body_counts_like_go_form_value()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var content = new FormUrlEncodedContent([new("delay", "forever")]);
        using var response = await client.PostAsync(new Uri(server.Uri, "/form"), content, cts.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Each_echo_writes_the_mirror_detection_line()
    {
        using var cts = EchoHttp.Timeout();
        var log = new StringWriter();
        await using var server = await EchoServer.StartAsync(new EchoOptions { RequestLog = log }, cts.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(server.Uri, "/mirror?q=1"), cts.Token);

        Assert.Matches(@"^Echoing back request made to /mirror\?q=1 to client \(127\.0\.0\.1:\d+\)\r?\n$", log.ToString());
    }

    [Fact]
    public async Task Head_request_gets_headers_only()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions(), cts.Token);
        using var client = new HttpClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Uri), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", EchoHttp.ContentType(response)?.ToString());
    }
}
