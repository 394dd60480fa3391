using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.Translation.Tests;

public sealed class RoutePrecedenceTests
{
    private static readonly DateTime Old = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime New = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static RankedRoute R(
        string name,
        PathMatchType type = PathMatchType.PathPrefix,
        string path = "/",
        string? method = null,
        int headers = 0,
        int queries = 0,
        DateTime? created = null,
        string ns = "default",
        int rule = 0,
        int match = 0) =>
        new(new RouteIr
        {
            RouteNamespace = ns,
            RouteName = name,
            RuleIndex = rule,
            MatchIndex = match,
            Match = new MatchIr
            {
                Path = new PathMatchIr { Type = type, Value = path },
                Method = method,
                Headers = [.. Enumerable.Range(0, headers).Select(i => new StringMatchIr { Name = $"h{i}", Value = "v" })],
                QueryParams = [.. Enumerable.Range(0, queries).Select(i => new StringMatchIr { Name = $"q{i}", Value = "v" })],
            },
        }, created);

    private static void AssertFirst(RankedRoute winner, RankedRoute loser)
    {
        Assert.True(RoutePrecedence.Instance.Compare(winner, loser) < 0);
        Assert.True(RoutePrecedence.Instance.Compare(loser, winner) > 0);
        Assert.Equal(winner, ImmutableArray.Create(loser, winner).Sort(RoutePrecedence.Instance)[0]);
    }

    [Fact] public void ExactBeatsLongerPrefix() => AssertFirst(R("a", PathMatchType.Exact, "/a"), R("b", path: "/a/very/long/prefix"));

    [Fact] public void ExactBeatsRegex() => AssertFirst(R("b", PathMatchType.Exact, "/a"), R("a", PathMatchType.RegularExpression, "/a.*/long"));

    [Fact] public void RegexBeatsPrefix() => AssertFirst(R("b", PathMatchType.RegularExpression, "/.*"), R("a", path: "/longer/prefix"));

    [Fact] public void LongerRegexFirst() => AssertFirst(R("b", PathMatchType.RegularExpression, "/a/.*"), R("a", PathMatchType.RegularExpression, "/.*"));

    [Fact] public void LongestPrefixFirst() => AssertFirst(R("b", path: "/api/v1"), R("a", path: "/api", method: "GET", headers: 3));

    [Fact] public void MethodBeatsHeaders() => AssertFirst(R("b", method: "GET"), R("a", headers: 5, queries: 5));

    [Fact] public void MoreHeadersFirst() => AssertFirst(R("b", headers: 2), R("a", headers: 1, queries: 4));

    [Fact] public void MoreQueryParamsFirst() => AssertFirst(R("b", queries: 2), R("a", queries: 1, created: Old));

    [Fact] public void OldestRouteFirst() => AssertFirst(R("b", created: Old), R("a", created: New));

    [Fact] public void RouteWithoutTimestampCountsAsNewest() => AssertFirst(R("b", created: New), R("a"));

    [Fact] public void AlphabeticalNamespaceName() => AssertFirst(R("z", ns: "a"), R("a", ns: "b"));

    [Fact] public void RuleThenMatchIndex()
    {
        AssertFirst(R("a", rule: 0, match: 3), R("a", rule: 1, match: 0));
        AssertFirst(R("a", rule: 1, match: 0), R("a", rule: 1, match: 1));
    }
}
