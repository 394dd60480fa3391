using Grpc.Core;
using Grpc.Net.Client;
using Weft.Samples.Echo;
using Weft.Samples.Echo.Grpc;

namespace Weft.Echo.Tests;

/// <summary>echo-basic's gRPC mode (FORMAT.md 9.6), spoken to over h2c as the conformance suite's client does.</summary>
public sealed class GrpcEchoTests
{
    [Fact]
    public async Task Echo_reports_method_metadata_authority_and_the_backend()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions { Grpc = true, Pod = "grpc-infra-backend-v1-abc-1", Namespace = "infra", Service = "svc" }, cts.Token);
        using var channel = GrpcChannel.ForAddress(server.Uri);
        var client = new GrpcEcho.GrpcEchoClient(channel);

        foreach (var (call, method) in new (Func<Metadata, AsyncUnaryCall<EchoResponse>>, string)[]
                 {
                     (m => client.EchoAsync(new EchoRequest(), m, cancellationToken: cts.Token), "Echo"),
                     (m => client.EchoTwoAsync(new EchoRequest(), m, cancellationToken: cts.Token), "EchoTwo"),
                 })
        {
            var response = await call(new Metadata { { "Version", "two" } });
            var assertions = response.Assertions;
            Assert.Equal($"/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/{method}", assertions.FullyQualifiedMethod);
            Assert.Equal($"127.0.0.1:{server.Port}", assertions.Authority);
            Assert.Equal("grpc-infra-backend-v1-abc-1", assertions.Context.Pod);
            Assert.Equal("infra", assertions.Context.Namespace);
            Assert.Equal("svc", assertions.Context.ServiceName);
            Assert.Contains(assertions.Headers, h => h.Key == "version" && h.Value == "two");
            Assert.Null(assertions.TlsAssertions);
        }
    }

    [Fact]
    public async Task EchoThree_and_unknown_methods_are_unimplemented()
    {
        using var cts = EchoHttp.Timeout();
        await using var server = await EchoServer.StartAsync(new EchoOptions { Grpc = true }, cts.Token);
        using var channel = GrpcChannel.ForAddress(server.Uri);
        var client = new GrpcEcho.GrpcEchoClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoThreeAsync(new EchoRequest(), cancellationToken: cts.Token));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);

        var other = channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<EchoRequest, EchoResponse>(MethodType.Unary, "other.Service", "Call",
                Marshallers.Create(m => Google.Protobuf.MessageExtensions.ToByteArray(m), EchoRequest.Parser.ParseFrom),
                Marshallers.Create(m => Google.Protobuf.MessageExtensions.ToByteArray(m), EchoResponse.Parser.ParseFrom)),
            null, new CallOptions(cancellationToken: cts.Token), new EchoRequest());
        Assert.Equal(StatusCode.Unimplemented, (await Assert.ThrowsAsync<RpcException>(async () => await other)).StatusCode);
    }
}
