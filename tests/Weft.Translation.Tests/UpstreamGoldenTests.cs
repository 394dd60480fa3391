namespace Weft.Translation.Tests;

/// <summary>
/// Golden tests on the upstream conformance manifests: for every testdata/conformance/&lt;ShortName&gt;.out.yaml the input
/// of upstream test ShortName is built in memory from ../shared/gateway-api/conformance (see
/// <see cref="UpstreamConformance"/>), translated with the options of <see cref="GoldenTests"/>, and rendered like them.
/// Regenerate with WEFT_UPDATE_GOLDEN=1 and review the diff. To add a case, create an empty
/// testdata/conformance/&lt;ShortName&gt;.out.yaml and regenerate. The status in these translations is checked against the
/// upstream expectations by <see cref="UpstreamStatusTests"/>.
/// </summary>
public sealed class UpstreamGoldenTests
{
    public static TheoryData<string> Cases() => UpstreamConformance.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden(string shortName)
    {
        var output = Path.Combine(UpstreamConformance.GoldenDir, shortName + ".out.yaml");
        var (snapshot, result) = UpstreamConformance.Translate(shortName);

        // The IR handed to proxies must pass the proxies' own validation.
        foreach (var (id, ir) in result.Gateways)
        {
            Assert.Empty(ir.Validate().Select(e => $"{id}: {e}"));
        }

        // Determinism: a second run gives the same text.
        var actual = GoldenTests.Render(result);
        Assert.Equal(actual, GoldenTests.Render(Translator.Translate(snapshot, GoldenTests.Options)));

        if (Environment.GetEnvironmentVariable("WEFT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(output, actual);
            return;
        }

        Assert.Equal(File.ReadAllText(output), actual);
    }

    /// <summary>Every golden names an upstream test: a renamed or removed upstream test must not leave a stale golden.</summary>
    [Fact]
    public void EveryOutputNamesAnUpstreamTest()
    {
        var orphans = UpstreamConformance.CaseNames().Where(n => UpstreamConformance.FindTest(n) is null).ToList();
        Assert.True(orphans.Count == 0, "testdata/conformance has goldens for tests expectations.json does not have: " + string.Join(", ", orphans));
    }

    [Fact]
    public void ThereAreCases() => Assert.NotEmpty(UpstreamConformance.CaseNames());

    /// <summary>Only goldens live in testdata/conformance: the inputs are read from the upstream suite in place.</summary>
    [Fact]
    public void TheFolderHoldsOnlyOutputs()
    {
        var others = Directory.EnumerateFileSystemEntries(UpstreamConformance.GoldenDir)
            .Where(f => !f.EndsWith(".out.yaml", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(others);
    }
}
