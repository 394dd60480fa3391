using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Proxy;
using Weft.Proxy.Model;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Benchmarks;

/// <summary>
/// The gateway's own per-request work, without sockets: <see cref="ProxyHandler"/> (scheme, route
/// lookup on the 100-route corpus, filters, backend and endpoint choice) and its
/// <c>ForwardTransformer</c> (headers copied, Host kept, X-Forwarded-*, x-request-id), driven by a
/// forwarder stub that does what YARP's forwarder does around the transformer: build the
/// HttpRequestMessage, transform the request, transform a canned response. The baseline is the same
/// stub with YARP's default transformer (copy headers + X-Forwarded-*), i.e. the bare-forwarder
/// peer of peers.sh (yarp-fwd). The difference is what Weft adds per request above that peer.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.1");
    private readonly StubForwarder _forwarder = new();
    private HttpMessageInvoker _invoker = null!;
    private ProxyHandler _handler = null!;
    private ServingPort _serving = null!;

    [GlobalSetup]
    public void Setup()
    {
        var errors = new List<string>();
        var model = ProxyModel.Compile(Corpus.Ir(100), "v1", errors)
            ?? throw new InvalidOperationException(string.Join("; ", errors));
        _serving = model.Serve(model.Table.Ports[0]);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        _handler = new ProxyHandler(_forwarder, _invoker, NullLogger.Instance, new GatewayProxyOptions(), TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _invoker.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<ForwarderError> YarpDefaultTransformer() =>
        _forwarder.SendAsync(NewContext(), "http://127.0.0.1:18080/", _invoker, ForwarderRequestConfig.Empty, HttpTransformer.Default, CancellationToken.None);

    [Benchmark]
    public Task WeftProxyHandler() => _handler.HandleAsync(NewContext(), _serving);

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = "GET";
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1:18110");
        request.Path = "/";
        request.Protocol = "HTTP/1.1";
        // As Kestrel sets it: the request target exactly as received.
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = "/";
        context.Connection.RemoteIpAddress = Client;
        return context;
    }

    /// <summary>YARP's forwarder around the transformer, minus the network.</summary>
    private sealed class StubForwarder : IHttpForwarder
    {
        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
            SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

        public async ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage { Method = HttpMethod.Get, Version = HttpVersion.Version11 };
            await transformer.TransformRequestAsync(context, request, destinationPrefix, cancellationToken);
            using var response = new HttpResponseMessage(HttpStatusCode.OK);
            await transformer.TransformResponseAsync(context, response, cancellationToken);
            return ForwarderError.None;
        }
    }
}
