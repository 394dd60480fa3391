using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

/// <summary>A table compiled from the one being served reuses its compiled regexes, and matches exactly as a fresh one.</summary>
public sealed class RegexReuseTests
{
    private static GatewaySnapshotIr Snap(params RouteIr[] routes) =>
        Snapshot(Port(80, Listener("l", null, Host("*", routes))));

    [Fact]
    public void Patterns_both_tables_have_are_compiled_once()
    {
        var header = new MatchIr { Headers = [Header("x-user", "p.*", StringMatchType.RegularExpression)] };
        var first = RouteTable.Compile(Snap(Route("a", Regex("/items/[0-9]+")), Route("b", header)));

        Assert.True(RouteTable.TryCompile(Snap(Route("a", Regex("/items/[0-9]+")), Route("c", Regex("/new/.*"))), first, out var second, out var errors));

        Assert.Empty(errors);
        Assert.Same(first.Regexes["/items/[0-9]+"], second!.Regexes["/items/[0-9]+"]);
        Assert.True(second.Regexes.ContainsKey("/new/.*"));

        // Only what the new table uses is carried on: a pattern dropped now is not kept alive by later tables.
        Assert.False(second.Regexes.ContainsKey("p.*"));
    }

    [Fact]
    public void A_table_compiled_with_reuse_matches_as_a_fresh_one()
    {
        var snapshot = Snap(Route("a", Regex("/items/[0-9]+")), Route("z", Prefix("/")));
        var previous = RouteTable.Compile(snapshot);
        Assert.True(RouteTable.TryCompile(snapshot, previous, out var reused, out _));
        var fresh = RouteTable.Compile(snapshot);

        foreach (var path in new[] { "/items/42", "/items/x", "/" })
        {
            Assert.Equal(fresh.Lookup(80, Get("h", path)).Route!.DisplayName, reused!.Lookup(80, Get("h", path)).Route!.DisplayName);
        }
    }

    [Fact]
    public void An_invalid_pattern_still_fails_with_a_previous_table()
    {
        var previous = RouteTable.Compile(Snap(Route("a", Regex("/ok"))));

        Assert.False(RouteTable.TryCompile(Snap(Route("a", Regex("/ok")), Route("b", Regex("("))), previous, out var table, out var errors));

        Assert.Null(table);
        Assert.Single(errors);
    }

    [Fact]
    public void A_route_whose_IR_instance_is_unchanged_keeps_its_compiled_matcher_and_its_regexes()
    {
        var kept = Route("a", Regex("/items/[0-9]+"));
        var first = RouteTable.Compile(Snap(kept, Route("z", Prefix("/"))));

        // The same RouteIr instance (as the control plane hands over an unchanged route), moved to a
        // new position by a route inserted before it; the catch-all is an equal but new instance.
        var added = Route("n", Regex("/new/.*"));
        Assert.True(RouteTable.TryCompile(Snap(added, kept, Route("z", Prefix("/"))), first, out var second, out var errors));
        Assert.Empty(errors);

        var before = first.Routes.Single(r => ReferenceEquals(r.Ir, kept));
        var after = second!.Routes.Single(r => ReferenceEquals(r.Ir, kept));
        Assert.Same(before.Matcher, after.Matcher);
        Assert.NotEqual(before.Id, after.Id); // its position in the new table
        Assert.Equal(after, second.Routes[after.Id]);
        Assert.NotSame(first.Routes.Single(r => r.Ir.RouteName == "z").Matcher, second.Routes.Single(r => r.Ir.RouteName == "z").Matcher);

        // Its regex stays in the table's set, so the next table can reuse it too.
        Assert.Same(first.Regexes["/items/[0-9]+"], second.Regexes["/items/[0-9]+"]);

        var fresh = RouteTable.Compile(Snap(added, kept, Route("z", Prefix("/"))));
        foreach (var path in new[] { "/items/42", "/new/x", "/items/x", "/" })
        {
            Assert.Equal(fresh.Lookup(80, Get("h", path)).Route!.DisplayName, second.Lookup(80, Get("h", path)).Route!.DisplayName);
        }
    }
}
