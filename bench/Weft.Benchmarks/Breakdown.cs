using System.Diagnostics;
using System.Globalization;
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
        }
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
