using Weft.Conformance.Suite;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Weft.Conformance.Xunit;

/// <summary>Runs the conformance tests in the upstream order, then the report last.</summary>
public sealed class UpstreamOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => Rank(t)).ThenBy(t => t.DisplayName, StringComparer.Ordinal);

    private static int Rank(ITestCase testCase)
    {
        if (testCase.TestMethodArguments is [string name])
        {
            return SuiteData.Instance.Tests.FirstOrDefault(t => t.ShortName == name)?.Order ?? 0;
        }

        return int.MaxValue; // the report
    }
}
