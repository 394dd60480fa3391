using Grpc.Core;
using Weft.Samples.Echo.Grpc;

namespace Weft.Samples.Echo;

/// <summary>
/// echo-basic's gRPC mode (GRPC_ECHO_SERVER): <c>Echo</c> and <c>EchoTwo</c> answer with what the
/// call looked like (the fully qualified method, every metadata pair, <c>:authority</c>, who this
/// backend is, and TLS details on the TLS listener); <c>EchoThree</c> is left unimplemented, so the
/// generated base class answers UNIMPLEMENTED, as echo-basic does.
/// </summary>
internal sealed class GrpcEchoService(EchoOptions options) : GrpcEcho.GrpcEchoBase
{
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(Respond(request, context));

    public override Task<EchoResponse> EchoTwo(EchoRequest request, ServerCallContext context) => Task.FromResult(Respond(request, context));

    private EchoResponse Respond(EchoRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var assertions = new Assertions
        {
            FullyQualifiedMethod = context.Method,
            Authority = http.Request.Host.Value ?? "",
            Context = new Context
            {
                Namespace = options.Namespace,
                Ingress = options.Ingress,
                ServiceName = options.Service,
                Pod = options.Pod,
            },
        };

        // grpc-go's metadata: every header of the call except the pseudo-headers, keys lower-case.
        foreach (var entry in context.RequestHeaders)
        {
            assertions.Headers.Add(new Header { Key = entry.Key, Value = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value });
        }

        if (EchoHandler.DescribeTls(http) is { } tls)
        {
            var tlsAssertions = new TLSAssertions
            {
                Version = tls.Version,
                NegotiatedProtocol = tls.NegotiatedProtocol ?? "",
                ServerName = tls.ServerName,
                CipherSuite = tls.CipherSuite,
            };
            tlsAssertions.PeerCertificates.AddRange(tls.PeerCertificates ?? []);
            assertions.TlsAssertions = tlsAssertions;
        }

        return new EchoResponse { Assertions = assertions, Request = request };
    }
}
