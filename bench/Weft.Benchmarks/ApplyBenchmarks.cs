using BenchmarkDotNet.Attributes;
using Weft.Ir;
using Weft.Proxy;
using Weft.Routing;

namespace Weft.Benchmarks;

/// <summary>
/// What a proxy does with a new snapshot: <see cref="RouteTable.Compile"/> alone, and the whole
/// <see cref="GatewayProxy.ApplyAsync(GatewaySnapshotIr, string, CancellationToken)"/> (validate,
/// compile routes + clusters + filters, swap) on a proxy already listening on the port, as every
/// update after the first is.
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private GatewaySnapshotIr _ir = null!;
    private GatewayProxy _proxy = null!;
    private long _version;

    [Params(100, 1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ir = Corpus.Ir(Routes);
        _proxy = new GatewayProxy();
        var first = _proxy.ApplyAsync(_ir, "v0", CancellationToken.None).GetAwaiter().GetResult();
        if (!first.Accepted || first.BindFailures.Count > 0)
        {
            throw new InvalidOperationException("snapshot not applied: " + string.Join("; ", first.Errors));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public RouteTable Compile() => RouteTable.Compile(_ir);

    [Benchmark]
    public async Task<ApplyResult> Apply()
    {
        var result = await _proxy.ApplyAsync(_ir, "v" + (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        return result.Accepted ? result : throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
