using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>Terse builders for hand-written snapshots.</summary>
internal static class Ir
{
    public static GatewaySnapshotIr Snapshot(params PortIr[] ports) => new()
    {
        GatewayNamespace = "default",
        GatewayName = "gw",
        Ports = [.. ports],
        Clusters = [new ClusterIr { Name = "c", Endpoints = [new EndpointIr { Address = "127.0.0.1", Port = 1 }] }],
    };

    public static PortIr Port(int port, params ListenerIr[] listeners) => new()
    {
        Port = port,
        BindAddress = "127.0.0.1",
        BindPort = port,
        Protocol = ListenerProtocol.Http,
        Listeners = [.. listeners],
    };

    public static ListenerIr Listener(string name, string? hostname, params VirtualHostIr[] hosts) =>
        new() { Name = name, Hostname = hostname, VirtualHosts = [.. hosts] };

    public static VirtualHostIr Host(string hostname, params RouteIr[] routes) =>
        new() { Hostname = hostname, Routes = [.. routes] };

    public static RouteIr Route(string name, MatchIr? match = null, int rule = 0) => new()
    {
        RouteNamespace = "default",
        RouteName = name,
        RuleIndex = rule,
        MatchIndex = 0,
        Match = match ?? new MatchIr(),
        Backends = [new BackendIr { Cluster = "c", Weight = 1 }],
    };

    public static MatchIr Prefix(string value) => new() { Path = new PathMatchIr { Type = PathMatchType.PathPrefix, Value = value } };

    public static MatchIr Exact(string value) => new() { Path = new PathMatchIr { Type = PathMatchType.Exact, Value = value } };

    public static MatchIr Regex(string value) => new() { Path = new PathMatchIr { Type = PathMatchType.RegularExpression, Value = value } };

    public static StringMatchIr Header(string name, string value, StringMatchType type = StringMatchType.Exact) =>
        new() { Name = name, Value = value, Type = type };

    public static RouteRequest Get(string host, string path, params (string Name, string Value)[] headers) =>
        new("GET", host, path) { Headers = [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))] };

    public static ImmutableArray<BackendIr> Backends(params int[] weights) =>
        [.. weights.Select((w, i) => new BackendIr { Cluster = "c" + i, Weight = w })];
}
