using Weft.Ir;
using Weft.Routing;

namespace Weft.Proxy.Model;

/// <summary>
/// Everything the request path needs for one snapshot, immutable once built. A request reads it
/// once (through its port's <see cref="ServingPort"/>) and finishes on it even if a newer one is swapped in.
/// </summary>
internal sealed class ProxyModel
{
    private ProxyModel(string version, RouteTable table, RouteAction[] routes, PortTls?[] tls)
    {
        Version = version;
        Table = table;
        Routes = routes;
        Tls = tls;
    }

    public string Version { get; }
    public RouteTable Table { get; }

    /// <summary>Indexed by <see cref="RouteModel.Id"/>.</summary>
    public RouteAction[] Routes { get; }

    /// <summary>Indexed by <see cref="PortModel.Index"/>; null for HTTP ports.</summary>
    public PortTls?[] Tls { get; }

    /// <param name="previous">The model being served, whose compiled regexes the new one may reuse; null for none.</param>
    public static ProxyModel? Compile(GatewaySnapshotIr snapshot, string version, List<string> errors, ProxyModel? previous = null)
    {
        if (!RouteTable.TryCompile(snapshot, previous?.Table, out var table, out var tableErrors))
        {
            errors.AddRange(tableErrors);
            return null;
        }

        var clusters = new Dictionary<string, ClusterModel>(StringComparer.Ordinal);
        foreach (var cluster in snapshot.Clusters)
        {
            clusters.TryAdd(cluster.Name, new ClusterModel(cluster));
        }

        var routes = new RouteAction[table.Routes.Count];
        foreach (var route in table.Routes)
        {
            routes[route.Id] = RouteAction.Compile(route, clusters, errors)!;
        }

        var tls = new PortTls?[table.Ports.Count];
        foreach (var port in table.Ports)
        {
            tls[port.Index] = PortTls.Compile(port, errors);
        }

        return errors.Count == 0 ? new ProxyModel(version, table, routes, tls) : null;
    }

    public ServingPort Serve(PortModel port) => new(this, port, Tls[port.Index]);
}

/// <summary>What one listening socket serves: the model and its port in it. Swapped as one reference.</summary>
internal sealed record ServingPort(ProxyModel Model, PortModel Port, PortTls? Tls);
