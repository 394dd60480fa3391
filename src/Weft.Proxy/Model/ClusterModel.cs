using System.Globalization;
using System.Net;
using Weft.Ir;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Model;

/// <summary>A compiled cluster: destination prefixes built once, round-robin over them, the upstream HTTP version.</summary>
internal sealed class ClusterModel
{
    private readonly string[] _destinations;
    private int _next = -1;

    public ClusterModel(ClusterIr ir)
    {
        Ir = ir;
        Name = ir.Name;
        _destinations = [.. ir.Endpoints.Select(FormatPrefix)];
        RequestConfig = new ForwarderRequestConfig
        {
            // Exact: an H2c cluster must not silently downgrade, an Http1 one must not try to upgrade.
            Version = ir.Protocol == UpstreamProtocol.H2c ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // Built once per snapshot (and shared across snapshots by setting); the default timeouts
        // apply to TLS clusters, as the compiled model has no access to the proxy's options.
        Invoker = ir.Tls is { } tls ? Clusters.UpstreamTlsClient.For(tls, ir.Protocol, TlsClientOptions) : null;
    }

    private static readonly GatewayProxyOptions TlsClientOptions = new();

    /// <summary>The client of a TLS cluster (BackendTLSPolicy), or null to use the proxy's shared plaintext client.</summary>
    public HttpMessageInvoker? Invoker { get; }

    /// <summary>What it was compiled from; a later snapshot with the same content keeps this instance (and its round-robin position).</summary>
    public ClusterIr Ir { get; }

    public string Name { get; }
    public ForwarderRequestConfig RequestConfig { get; }
    public IReadOnlyList<string> Destinations => _destinations;

    /// <summary>The next endpoint's "http://address:port/" prefix, or null when the cluster has no endpoints.</summary>
    public string? NextDestination()
    {
        var destinations = _destinations;
        return destinations.Length switch
        {
            0 => null,
            1 => destinations[0],
            _ => destinations[(int)((uint)Interlocked.Increment(ref _next) % (uint)destinations.Length)],
        };
    }

    private static string FormatPrefix(EndpointIr endpoint)
    {
        var address = endpoint.Address.Contains(':', StringComparison.Ordinal) && !endpoint.Address.StartsWith('[')
            ? $"[{endpoint.Address}]"
            : endpoint.Address;
        return string.Create(CultureInfo.InvariantCulture, $"http://{address}:{endpoint.Port}/");
    }
}
