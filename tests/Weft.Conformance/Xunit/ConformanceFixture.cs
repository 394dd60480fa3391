using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Conformance.Report;
using Weft.Conformance.Runner;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Xunit;

/// <summary>
/// The one `weft up`, the backends and the base setup, shared by every conformance test of the
/// collection; collects the results for the report.
/// </summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, TestResult> _results = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();
    private Session? _session;

    internal Session Session => _session ?? throw new InvalidOperationException("the conformance session is not started");

    internal Baseline Baseline { get; } = Baseline.Load(SuitePaths.ReportFile, SuiteData.Instance);

    internal IReadOnlyCollection<TestResult> Results => [.. _results.Values];

    internal TimeSpan Elapsed => _clock.Elapsed;

    public async Task InitializeAsync()
    {
        _clock.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _session = await Session.StartAsync(cts.Token);
    }

    internal void Record(TestResult result) => _results[result.Test.ShortName] = result;

    /// <summary>True when every test of the reported profiles has a result (a filtered run writes no report).</summary>
    internal bool Complete => SuiteData.Instance.ReportedTests.All(t => _results.ContainsKey(t.ShortName));

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceFixture>
{
    public const string Name = "conformance";
}
