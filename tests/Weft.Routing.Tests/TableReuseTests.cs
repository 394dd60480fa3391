using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

/// <summary>
/// A table compiled against the served one takes over the compiled routes of unchanged virtual
/// hosts (the same IR instance) and of unchanged routes inside changed ones, tells what each route
/// was in the served table (<see cref="RouteModel.PreviousId"/>), and routes exactly as a fresh table.
/// </summary>
public sealed class TableReuseTests
{
    [Fact]
    public void Unchanged_hosts_and_routes_are_taken_over_and_new_ones_compiled()
    {
        var a1 = Route("a1", Prefix("/a1"));
        var a2 = Route("a2", Regex("/a2/[0-9]+"));
        var b1 = Route("b1", Prefix("/b"));
        var hostA = Host("a.example.com", a1, a2);
        var first = RouteTable.Compile(Snapshot(Port(80, Listener("l", null, hostA, Host("b.example.com", b1)))));

        // Host a is the same IR instance; host b is rebuilt with a new route ranked before b1.
        var b0 = Route("b0", Exact("/b/new"));
        var next = Snapshot(Port(80, Listener("l", null, hostA, Host("b.example.com", b0, b1))));
        Assert.True(RouteTable.TryCompile(next, first, out var second, out var errors), string.Join("; ", errors));

        RouteModel Find(RouteTable table, RouteIr ir) => table.Routes.Single(r => ReferenceEquals(r.Ir, ir));
        foreach (var ir in new[] { a1, a2, b1 })
        {
            var before = Find(first, ir);
            var after = Find(second!, ir);
            Assert.Same(before.Matcher, after.Matcher);
            Assert.Equal(before.Id, after.PreviousId);
        }

        Assert.Equal(-1, Find(second!, b0).PreviousId);
        Assert.Equal([0, 1, 2, 3], second!.Routes.Select(r => r.Id));

        var fresh = RouteTable.Compile(next);
        foreach (var (host, path) in new[] { ("a.example.com", "/a1/x"), ("a.example.com", "/a2/7"), ("b.example.com", "/b/new"), ("b.example.com", "/b/old") })
        {
            Assert.Equal(fresh.Lookup(80, Get(host, path)).Route!.DisplayName, second.Lookup(80, Get(host, path)).Route!.DisplayName);
        }
    }

    [Fact]
    public void A_route_that_moved_to_another_host_is_compiled_again_and_still_matches()
    {
        var moving = Route("m", Prefix("/m"));
        var first = RouteTable.Compile(Snapshot(Port(80, Listener("l", null, Host("a.example.com", moving)))));
        Assert.True(RouteTable.TryCompile(Snapshot(Port(80, Listener("l", null, Host("b.example.com", moving)))), first, out var second, out _));
        Assert.Equal(-1, second!.Routes.Single().PreviousId);
        Assert.True(second.Lookup(80, Get("b.example.com", "/m")).IsMatch);
        Assert.False(second.Lookup(80, Get("a.example.com", "/m")).IsMatch);
    }
}
