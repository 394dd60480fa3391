using Weft.Ir;

namespace Weft.Proxy.Tests;

/// <summary>Builders for snapshots that bind on 127.0.0.1.</summary>
internal static class Snap
{
    public static GatewaySnapshotIr Gateway(IEnumerable<PortIr> ports, params ClusterIr[] clusters) => new()
    {
        GatewayNamespace = "default",
        GatewayName = "gw",
        Ports = [.. ports],
        Clusters = [.. clusters],
    };

    public static PortIr Http(int bindPort, params ListenerIr[] listeners) => new()
    {
        Port = bindPort,
        BindAddress = "127.0.0.1",
        BindPort = bindPort,
        Protocol = ListenerProtocol.Http,
        Listeners = [.. listeners],
    };

    public static ListenerIr Listener(string name, string? hostname, params VirtualHostIr[] hosts) =>
        new() { Name = name, Hostname = hostname, VirtualHosts = [.. hosts] };

    public static VirtualHostIr Host(string hostname, params RouteIr[] routes) =>
        new() { Hostname = hostname, Routes = [.. routes] };

    public static RouteIr Route(string name, MatchIr match, params BackendIr[] backends) => new()
    {
        RouteNamespace = "default",
        RouteName = name,
        RuleIndex = 0,
        MatchIndex = 0,
        Match = match,
        Backends = [.. backends],
    };

    public static RouteIr Route(string name, params BackendIr[] backends) => Route(name, new MatchIr(), backends);

    public static MatchIr Prefix(string value) => new() { Path = new PathMatchIr { Type = PathMatchType.PathPrefix, Value = value } };

    public static BackendIr To(string cluster, int weight = 1) => new() { Cluster = cluster, Weight = weight };

    public static ClusterIr Cluster(string name, params int[] ports) => new()
    {
        Name = name,
        Endpoints = [.. ports.Select(p => new EndpointIr { Address = "127.0.0.1", Port = p })],
    };

    public static ClusterIr Cluster(Upstream upstream) => Cluster(upstream.Name, upstream.Port);
}
