using System.Net;
using System.Net.Http.Headers;
using Weft.Ir;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>
/// What the proxy answers a gRPC call on its own: a gRPC status (HTTP 200, grpc-status), so that a
/// rule without usable backends is UNAVAILABLE (GRPCRoute spec) rather than the UNKNOWN a gRPC client
/// makes of an HTTP 500; plain HTTP requests keep their HTTP statuses.
/// </summary>
public sealed class GrpcLocalReplyTests : IAsyncLifetime
{
    private readonly GatewayProxy _proxy = new();
    private readonly HttpClient _client = Http.Client();
    private readonly int _port = FreePort.Next();

    public async Task InitializeAsync()
    {
        var snapshot = Gateway(
        [
            Http(_port, Listener("http", null, Host("*",
                Route("invalid", Prefix("/pkg.Invalid/"), new BackendIr { Cluster = null, Weight = 1, InvalidReason = "BackendNotFound" }),
                Route("none", Prefix("/pkg.None/")),
                Route("empty", Prefix("/pkg.Empty/"), To("empty"))))),
        ], Cluster("empty"));
        var result = await _proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    [Theory]
    [InlineData("/pkg.Invalid/Call", "14")]
    [InlineData("/pkg.None/Call", "14")]
    [InlineData("/pkg.Empty/Call", "14")]
    [InlineData("/pkg.Unrouted/Call", "12")]
    public async Task A_grpc_call_gets_a_grpc_status(string path, string grpcStatus)
    {
        using var response = await CallAsync(path, "application/grpc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(grpcStatus, response.Header("grpc-status"));
    }

    [Fact]
    public async Task Other_content_types_keep_http_statuses()
    {
        using var invalid = await CallAsync("/pkg.Invalid/Call", "application/grpc-web");
        using var unrouted = await CallAsync("/pkg.Unrouted/Call", "application/json");

        Assert.Equal(HttpStatusCode.InternalServerError, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unrouted.StatusCode);
        Assert.Null(unrouted.Header("grpc-status"));
    }

    private async Task<HttpResponseMessage> CallAsync(string path, string contentType)
    {
        // h2c with prior knowledge, as a gRPC client speaks to a plaintext listener.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_port}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _client.SendAsync(request);
    }
}
