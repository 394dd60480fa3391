namespace Weft.Api.Tests;

/// <summary>
/// Fuzz runs are sized for CI (fixed iteration counts, a few seconds each); WEFT_FUZZ_ITERATIONS runs longer
/// locally and WEFT_FUZZ_SEED replays the seed CsCheck prints with a failure.
/// </summary>
internal static class FuzzSettings
{
    public static long Iterations(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable("WEFT_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    // CI runs a fixed seed so that a run that passed passes again (a fresh seed once found a slow YAML
    // decode and failed a CI run at random); WEFT_FUZZ_SEED=random explores, any other value replays.
    public const string CiSeed = "wEFtHArdEn13";

    public static string? Seed => Environment.GetEnvironmentVariable("WEFT_FUZZ_SEED") switch
    {
        "random" => null,
        { Length: > 0 } s => s,
        _ => CiSeed,
    };

    // One thread: the CI machine is small and shared, and the per-case memory bound reads this thread's allocations.
    public const int Threads = 1;
}
