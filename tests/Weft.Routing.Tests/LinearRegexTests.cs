using System.Text.RegularExpressions;
using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

/// <summary>
/// Hardening (#13, item 7): a hostile header value against a user regex costs linear time. Before, a pattern
/// with a backreference was compiled for the backtracking engine (~1 CPU-second per request under a 1 s
/// timeout); now such a pattern never gets past IR validation, and every regex runs on the linear engine.
/// </summary>
public sealed class LinearRegexTests
{
    private static GatewaySnapshotIr Snap(params RouteIr[] routes) =>
        Snapshot(Port(80, Listener("l", null, Host("*", routes))));

    private static MatchIr HeaderRegex(string pattern) =>
        new() { Headers = [Header("x-user", pattern, StringMatchType.RegularExpression)] };

    [Theory]
    [InlineData(@"^(a+)+\1$", @"backreference \1")]
    [InlineData(@"(.*)\1", @"backreference \1")]
    [InlineData("(?=a)a", "lookahead")]
    public void A_snapshot_with_a_non_RE2_regex_fails_IR_validation_and_does_not_compile(string pattern, string construct)
    {
        var snapshot = Snap(Route("hostile", HeaderRegex(pattern)), Route("ok", Prefix("/")));

        var error = Assert.Single(snapshot.Validate());
        Assert.Contains("route default/hostile rule 0 header x-user", error, StringComparison.Ordinal);
        Assert.Contains(construct, error, StringComparison.Ordinal);

        Assert.False(RouteTable.TryCompile(snapshot, null, out var table, out var errors));
        Assert.Null(table);
        Assert.Contains(construct, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(a+)+$")]
    [InlineData("(a|a)*b")]
    public void A_classically_catastrophic_RE2_regex_is_compiled_for_the_linear_engine(string pattern)
    {
        var table = RouteTable.Compile(Snap(Route("r", HeaderRegex(pattern))));

        // The proof is the engine: NonBacktracking matches in time linear in the input, whatever the pattern.
        Assert.True((table.Regexes[pattern].Options & RegexOptions.NonBacktracking) != 0);
        Assert.False(table.Lookup(80, Get("h", "/", ("x-user", new string('a', 30_000) + "!"))).IsMatch);
        Assert.Equal(pattern == "(a+)+$", table.Lookup(80, Get("h", "/", ("x-user", new string('a', 30_000)))).IsMatch);
    }
}
