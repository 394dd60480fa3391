using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Weft.Ir;
using Weft.Proxy;
using Weft.Proxy.Model;
using Weft.Routing;
using Weft.Translation;

namespace Weft.Benchmarks;

/// <summary>
/// `Weft.Benchmarks breakdown [N…]`: where the time of one config change goes, stage by stage, for N
/// routes (median of 7 after 2 warm-ups; Stopwatch, not BenchmarkDotNet, so it takes seconds):
/// translate the store → serialize the IR (control plane: cache + wire) → deserialize it (proxy) →
/// validate → compile the route table (from scratch, and reusing the served table's regexes, as the
/// proxy does) → compile the whole proxy model (routes, clusters, filters).
/// </summary>
internal static class Breakdown
{
    public static void Run(IEnumerable<int> sizes)
    {
        Console.WriteLine("| routes | stage | median ms | min ms |");
        Console.WriteLine("|---:|---|---:|---:|");
        foreach (var (name, options, match) in new[] { ("NonBacktracking, unused", RegexOptions.NonBacktracking, false), ("NonBacktracking, matched", RegexOptions.NonBacktracking, true), ("interpreted", RegexOptions.None, true), ("Compiled", RegexOptions.Compiled, true) })
        {
            var start = Stopwatch.GetTimestamp();
            var retained = Retained(() => Enumerable.Range(0, 100).Select(i =>
            {
                var r = new Regex($"\\A(?:/items/[0-9]+/r{i})\\z", RegexOptions.CultureInvariant | options, TimeSpan.FromSeconds(1));
                if (match)
                {
                    r.IsMatch("/");
                    r.IsMatch($"/items/1/r{i}");
                }

                return r;
            }).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| - | one path regex, {name}: build+match time | {Stopwatch.GetElapsedTime(start).TotalMilliseconds / 100:F2} ms | |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| - | one path regex, {name}: retained | {retained / 100 / 1024.0:F1} KiB | |"));
        }

        foreach (var n in sizes)
        {
            var snapshot = Corpus.Snapshot(n);
            GatewaySnapshotIr ir = null!;
            byte[] json = null!;
            Stage(n, "translate (Translator.Translate)", () => ir = Translator.Translate(snapshot, Corpus.Options).Gateways["bench/bench-gw"]);
            Stage(n, "serialize IR (IrJson.Serialize)", () => json = IrJson.Serialize(ir));
            Stage(n, "deserialize IR (IrJson.Deserialize)", () => IrJson.Deserialize(json));
            Stage(n, "validate (GatewaySnapshotIr.Validate)", () => ir.Validate());
            Stage(n, "compile route table from scratch (RouteTable.Compile)", () => RouteTable.Compile(ir));
            var previous = RouteTable.Compile(ir);
            Stage(n, "compile route table reusing the served one's regexes", () => RouteTable.TryCompile(ir, previous, out _, out _));
            var served = ProxyModel.Compile(ir, "v", []);
            Stage(n, "compile proxy model as GatewayProxy.ApplyAsync does (reuse)", () => ProxyModel.Compile(ir, "v", [], served));
            Console.WriteLine($"| {n} | IR JSON size | {json.Length / 1024.0:F0} KiB | |");
            Console.WriteLine($"| {n} | managed heap retained by the IR | {Retained(() => IrJson.Deserialize(json)) / 1048576.0:F1} MiB | |");
            Console.WriteLine($"| {n} | managed heap retained by a proxy model (without the IR) | {Retained(() => ProxyModel.Compile(ir, "v", [])) / 1048576.0:F1} MiB | |");
        }
    }

    private static long Retained(Func<object?> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var kept = build();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(kept);
        return after - before;
    }

    private static void Stage(int n, string name, Action action)
    {
        action();
        action();
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {name} | {times[3]:F1} | {times[0]:F1} |"));
    }
}
