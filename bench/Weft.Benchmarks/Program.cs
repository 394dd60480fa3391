using BenchmarkDotNet.Running;

namespace Weft.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/Weft.Benchmarks -- --filter '*'                (BenchmarkDotNet, everything)
    // dotnet run -c Release --project bench/Weft.Benchmarks -- --filter '*Lookup*' --job short
    // dotnet run -c Release --project bench/Weft.Benchmarks -- change 5000 [changes]          (one config change, warm caches, by stage)
    // dotnet run -c Release --project bench/Weft.Benchmarks -- breakdown 1000 5000 10000   (config-change stages, seconds)
    public static void Main(string[] args)
    {
        if (args.Length > 1 && args[0] == "change")
        {
            ChangeBreakdown.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 15);
            return;
        }

        if (args.Length > 0 && args[0] == "breakdown")
        {
            Breakdown.Run(args.Length > 1 ? args.Skip(1).Select(int.Parse) : [1_000, 5_000, 10_000]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
