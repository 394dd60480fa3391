using System.Diagnostics;
using System.Globalization;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Distribution;
using Weft.ControlPlane.Status;
using Weft.ControlPlane.Store;
using Weft.Ir;
using Weft.Proxy.Model;
using Weft.Translation;

namespace Weft.Benchmarks;

/// <summary>
/// `Weft.Benchmarks change N [changes]`: one config change as a running `weft up` makes it, stage by
/// stage, with every cache warm: a new HTTPRoute (new hostname) is added to a store holding the
/// N-route corpus; the store recomputes its snapshot, the translator runs with the control plane's
/// cache, the distribution cache and status store take the result, and the proxy compiles its model
/// reusing the served one. Median and min over the changes; allocations and GCs per change.
/// WEFT_BENCH_ALLOCATIONS=1 adds the allocated types (sampled allocation ticks);
/// WEFT_BENCH_RETAINED=1 prints, after each stage, what it allocated and the heap after a full
/// collection (diagnostic only: the forced collections change every timing).
/// </summary>
internal static class ChangeBreakdown
{
    private static readonly string[] Stages = ["store", "translate", "snapshot cache", "status", "proxy compile", "total"];

    public static void Run(int n, int changes)
    {
        var decoded = YamlCodec.Decode(Corpus.Yaml(n), $"corpus-{n}.yaml");
        var store = new ResourceStore(TimeProvider.System);
        store.AddDefault("builtin", new Weft.Api.GatewayApi.GatewayClass
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "weft" },
            Spec = new Weft.Api.GatewayApi.GatewayClassSpec { ControllerName = "weft.dev/gateway-controller" },
        });
        store.ReplaceSource("files", decoded.Resources);
        var translation = new TranslationCache();
        var options = Corpus.Options with { Cache = translation };
        var snapshots = new SnapshotCache();
        var status = new StatusStore(TimeProvider.System);
        var result = Translator.Translate(store.Snapshot, options);
        snapshots.Update(result.Gateways);
        status.Set(result.Statuses.Select(s => (s.Key, s.Status)));
        var served = ProxyModel.Compile(result.Gateways["bench/bench-gw"], "v0", [])!;

        using var allocations = Environment.GetEnvironmentVariable("WEFT_BENCH_ALLOCATIONS") == "1" ? new AllocationTypes() : null;
        var added = new List<DecodedResource>();
        var times = Stages.ToDictionary(s => s, _ => new List<double>());
        var allocated = new List<long>();
        var gcs = new List<int>();
        var gen1 = new List<int>();
        var gen2 = new List<int>();
        var pauses = new List<double>();
        for (var i = 0; i < changes + 3; i++)
        {
            added.AddRange(YamlCodec.Decode($$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: new-{{i}}, namespace: bench}
                spec:
                  parentRefs: [{name: bench-gw}]
                  hostnames: [new-{{i}}.bench.example.com]
                  rules:
                  - filters:
                    - type: ResponseHeaderModifier
                      responseHeaderModifier: {set: [{name: x-bench-route, value: new-{{i}}}]}
                    backendRefs: [{name: svc-0, port: 80}]
                """, $"new-{i}.yaml").Resources);
            if (i == 3)
            {
                allocations?.Start();
            }

            var gen0 = GC.CollectionCount(0);
            var g1 = GC.CollectionCount(1);
            var g2 = GC.CollectionCount(2);
            var paused = GC.GetTotalPauseDuration();
            var bytes = GC.GetTotalAllocatedBytes(precise: false);
            var t = new double[Stages.Length];
            var start = Stopwatch.GetTimestamp();
            var mark = start;
            void Lap(int stage)
            {
                if (Environment.GetEnvironmentVariable("WEFT_BENCH_RETAINED") == "1")
                {
                    // Diagnostic mode: what each stage leaves allocated after a full collection vs. before it.
                    Console.Write(string.Create(CultureInfo.InvariantCulture, $"{Stages[stage]} +{GC.GetAllocatedBytesForCurrentThread() / 1048576.0:F1} MiB alloc, heap {GC.GetTotalMemory(true) / 1048576.0:F1} MiB; "));
                }

                var now = Stopwatch.GetTimestamp();
                t[stage] = Stopwatch.GetElapsedTime(mark, now).TotalMilliseconds;
                mark = now;
            }

            store.ReplaceSource("files", decoded.Resources.Concat(added));
            Lap(0);
            result = Translator.Translate(store.Snapshot, options);
            Lap(1);
            snapshots.Update(result.Gateways);
            Lap(2);
            status.Set(result.Statuses.Select(s => (s.Key, s.Status)));
            result = result with { Statuses = [] }; // as the control plane keeps it
            Lap(3);
            var ir = snapshots.Entries["bench/bench-gw"].Ir;
            var errors = new List<string>(ir.Validate());
            served = ProxyModel.Compile(ir, "v" + i, errors, served) ?? throw new InvalidOperationException(string.Join("; ", errors));
            Lap(4);
            t[5] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (Environment.GetEnvironmentVariable("WEFT_BENCH_RETAINED") == "1")
            {
                Console.WriteLine();
            }

            if (i < 3)
            {
                continue; // warm-up
            }

            for (var s = 0; s < Stages.Length; s++)
            {
                times[Stages[s]].Add(t[s]);
            }

            allocated.Add(GC.GetTotalAllocatedBytes(precise: false) - bytes);
            gcs.Add(GC.CollectionCount(0) - gen0);
            gen1.Add(GC.CollectionCount(1) - g1);
            gen2.Add(GC.CollectionCount(2) - g2);
            pauses.Add((GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
        }

        allocations?.Stop();
        allocations?.Print(changes);
        Console.WriteLine($"| routes | stage | median ms | min ms |");
        Console.WriteLine("|---:|---|---:|---:|");
        foreach (var s in Stages)
        {
            var l = times[s];
            l.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {s} | {l[l.Count / 2]:F1} | {l[0]:F1} |"));
        }

        allocated.Sort();
        pauses.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | allocated per change (median) | {allocated[allocated.Count / 2] / 1048576.0:F1} MiB | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | GC pauses per change (median) | {pauses[pauses.Count / 2]:F1} | {pauses[0]:F1} |"));
        var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | last ephemeral GC (gen{info.Generation}): promoted {info.PromotedBytes / 1048576.0:F1} MiB, pause {info.PauseDurations[0].TotalMilliseconds:F1} ms, heap {info.HeapSizeBytes / 1048576.0:F0} MiB | | |"));
        Console.WriteLine($"| {n} | last change: HTTPRoutes compiled / reused {translation.LastRouteCounts.Compiled} / {translation.LastRouteCounts.Reused}, attachments evaluated / replayed {translation.LastAttachmentCounts.Evaluated} / {translation.LastAttachmentCounts.Reused}, diagnostics {result.Diagnostics.Length} | | |");
        Console.WriteLine($"| {n} | collections over {gcs.Count} changes: gen0 {gcs.Sum()}, gen1 {gen1.Sum()}, gen2 {gen2.Sum()} | | |");
    }
}
