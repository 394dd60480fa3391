using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Runner;

/// <summary>The status helpers' polling: try every second until it passes or the timeout expires.</summary>
internal static class Poll
{
    public static async Task<T?> UntilAsync<T>(TimeSpan timeout, Func<Task<(bool Ok, string Detail, T? Value)>> attempt, string what, FailureStage stage, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var detail = "";
        while (true)
        {
            var (ok, d, value) = await attempt();
            if (ok)
            {
                return value;
            }

            detail = d;
            if (clock.Elapsed + SuiteTimeouts.PollInterval > timeout)
            {
                throw new ConformanceFailure(stage, $"{what}: not true within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s; last seen: {detail}");
            }

            await Task.Delay(SuiteTimeouts.PollInterval, ct);
        }
    }

    public static Task UntilAsync(TimeSpan timeout, Func<Task<(bool Ok, string Detail)>> attempt, string what, FailureStage stage, CancellationToken ct) =>
        UntilAsync<object>(timeout, async () =>
        {
            var (ok, detail) = await attempt();
            return (ok, detail, null);
        }, what, stage, ct);
}

/// <summary>A status condition as the checks compare it.</summary>
internal sealed record Cond(string Type, string Status, string Reason, long? ObservedGeneration)
{
    public override string ToString() => $"{Type}={Status}/{Reason} (observedGeneration {ObservedGeneration?.ToString(CultureInfo.InvariantCulture) ?? "unset"})";
}

internal static class Status
{
    public static List<Cond> Conditions(JsonNode? holder) =>
        [.. holder.Objects("conditions").Select(c => new Cond(c.Str("type") ?? "", c.Str("status") ?? "", c.Str("reason") ?? "", c.Long("observedGeneration")))];

    public static string List(IEnumerable<Cond> conditions)
    {
        var s = string.Join(", ", conditions);
        return s.Length == 0 ? "no conditions" : s;
    }

    /// <summary>Go's findConditionInList: type and status equal, reason equal unless the expected one is empty/null.</summary>
    public static bool Has(IEnumerable<Cond> conditions, string type, string? status, string? reason) =>
        conditions.Any(c => c.Type == type && (status is null || c.Status == status) && (string.IsNullOrEmpty(reason) || c.Reason == reason));
}
