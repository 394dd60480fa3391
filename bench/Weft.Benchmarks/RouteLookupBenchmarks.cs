using BenchmarkDotNet.Attributes;
using Weft.Routing;

namespace Weft.Benchmarks;

/// <summary>
/// <see cref="RouteTable.Lookup{TRequest}(PortModel, TRequest)"/> as the proxy calls it, with a
/// struct request (no boxing). Two requests: the benchmark's (Host 127.0.0.1:18110, path /: the
/// hostname-less virtual host, its last route in precedence order) and one for a named host's
/// second rule (Host hK.bench.example.com, GET /rI/x), where K is the last host.
/// </summary>
[MemoryDiagnoser]
public class RouteLookupBenchmarks
{
    private RouteTable _table = null!;
    private PortModel _port = null!;
    private BenchRequest _catchAll;
    private BenchRequest _named;

    [Params(1, 100, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _table = RouteTable.Compile(Corpus.Ir(Routes));
        _port = _table.Ports[0];
        _catchAll = new BenchRequest("GET", "127.0.0.1:18110", "/");
        var last = Math.Max(0, Routes - 6);
        _named = Routes >= 6
            ? new BenchRequest("GET", $"h{last % Corpus.NamedHosts(Routes)}.bench.example.com", $"/r{last}/x")
            : _catchAll;
        if (!_table.Lookup(_port, _catchAll).IsMatch || !_table.Lookup(_port, _named).IsMatch)
        {
            throw new InvalidOperationException("benchmark requests do not match");
        }
    }

    [Benchmark(Baseline = true)]
    public RouteModel? CatchAllLastRoute() => _table.Lookup(_port, _catchAll).Route;

    [Benchmark]
    public RouteModel? NamedHost() => _table.Lookup(_port, _named).Route;

    /// <summary>A request shaped like a wrk/h2load one: a handful of headers, looked up linearly.</summary>
    private readonly struct BenchRequest(string method, string host, string path) : IRouteRequest
    {
        private static readonly KeyValuePair<string, string>[] Headers =
        [
            new("user-agent", "wrk"),
            new("accept", "*/*"),
            new("x-request-id", "abc"),
        ];

        public string Method => method;
        public string Host => host;
        public string Path => path;

        public string? GetHeader(string name)
        {
            foreach (var (key, value) in Headers)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            return null;
        }

        public string? GetQueryParameter(string name) => null;
    }
}
