using System.Text.Json.Nodes;
using Weft.Conformance.Runner;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Report;

/// <summary>
/// The committed docs/conformance/report.yaml read back: which tests passed when it was generated.
/// A test counts in a profile level as passed when the level lists it neither as failed nor as
/// skipped — the ConformanceReport's own semantics.
/// </summary>
internal sealed class Baseline
{
    private readonly HashSet<string> _passed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    private Baseline(bool exists) => Exists = exists;

    public bool Exists { get; }

    public bool Passed(string test) => _passed.Contains(test);

    public bool Failed(string test) => _failed.Contains(test);

    public static Baseline Load(string path, SuiteData suite)
    {
        if (!File.Exists(path))
        {
            return new Baseline(false);
        }

        var baseline = new Baseline(true);
        var report = YamlJson.LoadFile(path).FirstOrDefault();
        foreach (var profile in report.Objects("profiles"))
        {
            var name = profile.Str("name") ?? "";
            foreach (var level in new[] { "core", "extended" })
            {
                var status = profile[level];
                if (status is null)
                {
                    continue;
                }

                var failed = status.Strings("failedTests").ToHashSet(StringComparer.Ordinal);
                var skipped = status.Strings("skippedTests").ToHashSet(StringComparer.Ordinal);
                baseline._failed.UnionWith(failed);
                foreach (var t in suite.Tests.Where(t => t.Profiles.TryGetValue(name, out var l) && l == level))
                {
                    if (!failed.Contains(t.ShortName) && !skipped.Contains(t.ShortName))
                    {
                        baseline._passed.Add(t.ShortName);
                    }
                }
            }
        }

        return baseline;
    }
}
