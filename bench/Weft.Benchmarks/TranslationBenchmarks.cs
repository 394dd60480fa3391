using BenchmarkDotNet.Attributes;
using Weft.Api.Model;
using Weft.Translation;

namespace Weft.Benchmarks;

/// <summary>The pure translator on the whole store (GatewayClass, Gateway, Services, WorkloadEntry, N HTTPRoutes).</summary>
[MemoryDiagnoser]
public class TranslationBenchmarks
{
    private ResourceSnapshot _snapshot = null!;

    [Params(1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup() => _snapshot = Corpus.Snapshot(Routes);

    [Benchmark]
    public TranslationResult Translate() => Translator.Translate(_snapshot, Corpus.Options);
}
