using System.Diagnostics;
using System.Text.Json.Nodes;
using Weft.Conformance.Harness;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Runner;

internal enum Outcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>What happened to one conformance test.</summary>
internal sealed record TestResult(
    ConformanceTestDef Test,
    Outcome Outcome,
    string? Reason,
    FailureStage? Stage,
    IReadOnlyList<string> AllFailures,
    TimeSpan Duration,
    string Log);

/// <summary>Runs one conformance test the way the Go suite does (FORMAT.md 2.2).</summary>
internal static class ConformanceRunner
{
    /// <summary>Features of the test Weft does not announce in GatewayClass status.supportedFeatures.</summary>
    public static IReadOnlyList<string> Unsupported(Session session, ConformanceTestDef test) =>
        [.. test.Features.Where(f => !session.SupportedFeatures.Contains(f))];

    public static async Task<TestResult> RunAsync(Session session, ConformanceTestDef test, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (session.SetupFailure is { } setup)
        {
            return new TestResult(test, Outcome.Failed, "suite setup failed: " + setup, FailureStage.Status, [setup], clock.Elapsed, "");
        }

        var unsupported = Unsupported(session, test);
        if (unsupported.Count > 0)
        {
            return new TestResult(test, Outcome.Skipped, "unsupported features: " + string.Join(", ", unsupported), null, [], clock.Elapsed, "");
        }

        var run = new TestRun(session, test, ct);
        try
        {
            await ApplyManifestsAsync(run);
            foreach (var check in test.Conditions.OfType<JsonObject>())
            {
                await StatusChecks.RunAsync(run, check);
            }

            await RunCasesAsync(run, test.Cases);
            foreach (var phase in test.Phases.OfType<JsonObject>())
            {
                if (run.Failures.Count > 0)
                {
                    break; // later phases build on the earlier ones
                }

                run.Note("phase: " + phase.Str("description"));
                var actions = phase.Objects("actions").ToList();
                foreach (var a in actions.Where(a => a.Str("name") is not null))
                {
                    var obj = await StatusChecks.FetchAsync(session, a.Str("kind")!, a.Str("namespace"), a.Str("name")!, ct);
                    run.GenerationsBefore[TestRun.Key(a.Str("kind")!, a.Str("namespace"), a.Str("name")!)] = obj?.Generation();
                }

                foreach (var action in actions)
                {
                    await Actions.RunAsync(run, action);
                }

                foreach (var check in phase.Objects("conditions"))
                {
                    await StatusChecks.RunAsync(run, check);
                }

                await RunCasesAsync(run, phase.Arr("cases"));
            }
        }
        catch (ConformanceFailure e)
        {
            run.Failures.Add(e);
            run.Note("FAIL: " + e.Message);
        }
        finally
        {
            await CleanupAsync(run);
        }

        var first = run.Failures.FirstOrDefault();
        return new TestResult(
            test,
            first is null ? Outcome.Passed : Outcome.Failed,
            first?.Message,
            first?.Stage,
            [.. run.Failures.Select(f => $"[{f.Stage}] {f.Message}")],
            clock.Elapsed,
            run.Log);
    }

    private static async Task RunCasesAsync(TestRun run, JsonArray cases)
    {
        var i = 0;
        foreach (var c in cases.OfType<JsonObject>())
        {
            try
            {
                await Traffic.RunAsync(run, c, i++);
            }
            catch (ConformanceFailure e) when (e.Stage == FailureStage.Traffic)
            {
                // Like Go's sub-tests: a failing case fails the test, the other cases still run.
                run.Failures.Add(e);
                run.Note("FAIL: " + e.Message);
            }
        }
    }

    private static async Task ApplyManifestsAsync(TestRun run)
    {
        foreach (var manifest in run.Test.Manifests)
        {
            var docs = YamlJson.LoadFile(SuitePaths.Resolve(manifest)).Select(run.Session.Transform).ToList();
            var deployments = docs.Where(Backends.IsDeployment).ToList();
            if (deployments.Count > 0)
            {
                throw new ConformanceFailure(FailureStage.Runner, $"{manifest} declares Deployments, which the runner only plays from the base manifests");
            }

            var (applied, rejected) = await run.Session.ApplyEachAsync(docs, manifest, run.Ct);
            run.Applied.AddRange(applied);
            run.Note($"applied {manifest}: {applied.Count} objects" + (rejected.Count > 0 ? $", {rejected.Count} refused" : ""));
            if (rejected.Count > 0)
            {
                throw new ConformanceFailure(FailureStage.Apply,
                    $"applying {manifest}: Weft refused " + string.Join("; ", rejected.Select(r => $"{Session.Describe(r.Doc)} ({r.Reason})")));
            }
        }
    }

    // Every object applied for the test is deleted when it ends (upstream test cleanup).
    private static async Task CleanupAsync(TestRun run)
    {
        var docs = run.Applied
            .GroupBy(d => TestRun.Key(d.Str("kind")!, d.Namespace(), d.Name()))
            .Select(g => g.Last())
            .Reverse()
            .ToList();
        if (docs.Count == 0)
        {
            return;
        }

        try
        {
            var result = await run.Session.Weft.DeleteAsync(docs, "<cleanup>", CancellationToken.None);
            run.Note("cleanup: " + result.Describe());
        }
        catch (HttpRequestException e)
        {
            run.Note("cleanup failed: " + e.Message);
        }
    }
}
