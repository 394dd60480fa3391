using System.Globalization;
using System.Text;
using Weft.Conformance.Report;
using Weft.Conformance.Runner;
using Weft.Conformance.Suite;
using Weft.Conformance.Xunit;
using Xunit.Abstractions;

namespace Weft.Conformance;

/// <summary>
/// One xunit test per upstream conformance test of the Gateway profiles (GATEWAY-HTTP, -GRPC,
/// -TLS), in upstream order, against one shared `weft up`; then <see cref="Report"/>.
///
/// Verdicts: a test whose features Weft does not announce is skipped. A failing test fails the
/// xunit test when it is GATEWAY-HTTP core, or when the committed docs/conformance/report.yaml
/// says it passed (a regression, at any level); other failures (extended, or GRPC/TLS) are known
/// gaps and reported as skipped with the failure, so CI stays readable while the report tracks them.
/// </summary>
[Collection(ConformanceCollection.Name)]
[TestCaseOrderer("Weft.Conformance.Xunit.UpstreamOrderer", "Weft.Conformance")]
[Trait("Category", "Conformance")]
public sealed class ConformanceTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static TheoryData<string> Tests => new(SuiteData.Instance.ReportedTests.Select(t => t.ShortName));

    [SkippableTheory]
    [MemberData(nameof(Tests))]
    public async Task Run(string test)
    {
        var def = SuiteData.Instance.Test(test);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await ConformanceRunner.RunAsync(fixture.Session, def, cts.Token);
        fixture.Record(result);

        output.WriteLine($"{def.ShortName} ({string.Join(", ", def.Profiles.Select(p => $"{p.Key} {p.Value}"))}): {result.Outcome} in {result.Duration.TotalSeconds:0.0}s");
        output.WriteLine(def.Description);
        foreach (var f in result.AllFailures)
        {
            output.WriteLine("failure: " + f);
        }

        if (result.Log.Length > 0)
        {
            output.WriteLine("--- log");
            output.WriteLine(result.Log);
        }

        var baseline = fixture.Baseline;
        switch (result.Outcome)
        {
            case Outcome.Passed:
                if (baseline.Failed(test))
                {
                    output.WriteLine("now passing, but docs/conformance/report.yaml lists it as failed: regenerate the report (see docs/conformance/README.md)");
                }

                return;
            case Outcome.Skipped when baseline.Passed(test):
                throw new ConformanceRegressionException($"{test} passed in docs/conformance/report.yaml but is now skipped: {result.Reason}");
            case Outcome.Skipped:
                throw new SkipTestException(result.Reason ?? "skipped");
            case Outcome.Failed when baseline.Passed(test):
                throw new ConformanceRegressionException($"REGRESSION: {test} passed in docs/conformance/report.yaml and now fails: {result.Reason}");
            case Outcome.Failed when def.Profiles.TryGetValue("GATEWAY-HTTP", out var level) && level == "core":
                Assert.Fail($"GATEWAY-HTTP core test failed: {result.Reason}");
                return;
            case Outcome.Failed when baseline.Failed(test):
                // Listed as failing in the committed report: known, and visible there with its reason.
                throw new SkipTestException($"known failure listed in docs/conformance/report.yaml ({string.Join(", ", def.Profiles.Select(p => $"{p.Key} {p.Value}"))}): {result.Reason}");
            default:
                // A test runs only when Weft announces all its features, so a new failure means a
                // feature is announced that does not work: that fails the run.
                Assert.Fail($"{test} failed, and Weft announces every feature it needs: {result.Reason}");
                return;
        }
    }

    /// <summary>
    /// Runs last: prints the per-profile summary, writes the report of this run next to the test
    /// assembly, and — with WEFT_CONFORMANCE_WRITE_REPORT=1 after a complete run — to docs/conformance.
    /// </summary>
    [Fact]
    public void Report()
    {
        var results = fixture.Results;
        if (results.Count == 0)
        {
            output.WriteLine("no conformance test ran");
            return;
        }

        var session = fixture.Session;
        var summary = ReportWriter.Summary(results);
        output.WriteLine(summary);
        Console.WriteLine(summary);
        var report = ReportWriter.ConformanceReport(session, results);
        var markdown = ReportWriter.ResultsMarkdown(session, results, fixture.Elapsed);

        var local = Path.Combine(AppContext.BaseDirectory, "conformance-report");
        Directory.CreateDirectory(local);
        File.WriteAllText(Path.Combine(local, "report.yaml"), report, Utf8NoBom);
        File.WriteAllText(Path.Combine(local, "results.md"), markdown, Utf8NoBom);
        output.WriteLine($"this run's report: {local}");

        if (Environment.GetEnvironmentVariable("WEFT_CONFORMANCE_WRITE_REPORT") == "1")
        {
            Assert.True(fixture.Complete, string.Create(CultureInfo.InvariantCulture,
                $"WEFT_CONFORMANCE_WRITE_REPORT=1 needs a complete run: {results.Count} of {SuiteData.Instance.ReportedTests.Count()} tests ran (no --filter)"));
            Directory.CreateDirectory(SuitePaths.DocsFolder);
            File.WriteAllText(SuitePaths.ReportFile, report, Utf8NoBom);
            File.WriteAllText(SuitePaths.ResultsFile, markdown, Utf8NoBom);
            output.WriteLine($"wrote {SuitePaths.ReportFile} and {SuitePaths.ResultsFile}");
        }
    }
}

/// <summary>A test that the committed report lists as passing no longer passes.</summary>
public sealed class ConformanceRegressionException(string message) : Exception(message);
