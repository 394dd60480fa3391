namespace Weft.Routing.Tests;

/// <summary>
/// Fuzz runs are sized for CI (fixed iteration counts, a few seconds each); WEFT_FUZZ_ITERATIONS runs longer
/// locally and WEFT_FUZZ_SEED replays the seed CsCheck prints with a failure.
/// </summary>
internal static class FuzzSettings
{
    public static long Iterations(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable("WEFT_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    public static string? Seed => Environment.GetEnvironmentVariable("WEFT_FUZZ_SEED") is { Length: > 0 } s ? s : null;

    // One thread: the CI machine is small and shared.
    public const int Threads = 1;
}
