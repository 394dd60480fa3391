using Weft.Ir;
using Weft.Routing;

namespace Weft.Proxy.Model;

/// <summary>
/// Everything the request path needs for one snapshot, immutable once built. A request reads it
/// once (through its port's <see cref="ServingPort"/>) and finishes on it even if a newer one is swapped in.
/// </summary>
internal sealed class ProxyModel
{
    private ProxyModel(string version, RouteTable table, RouteAction[] routes, PortTls?[] tls, Dictionary<string, ClusterModel> clusters)
    {
        Clusters = clusters;
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

    /// <summary>By name; read only while compiling the next model.</summary>
    private Dictionary<string, ClusterModel> Clusters { get; }

    /// <param name="previous">
    /// The model being served; null for none. The new model reuses what did not change: compiled
    /// regexes, the matcher of every route whose IR is the same instance, clusters with the same
    /// content, and the whole compiled action of a route whose IR is the same instance and whose
    /// clusters were all reused. The control plane keeps unchanged routes' IR instances, so a change
    /// to one route in thousands compiles that route only.
    /// </param>
    /// <param name="defaultTimeout">The deadline of routes that set no timeout (<see cref="GatewayProxyOptions.DefaultRouteTimeout"/>); null for none.</param>
    public static ProxyModel? Compile(GatewaySnapshotIr snapshot, string version, List<string> errors, ProxyModel? previous = null, TimeSpan? defaultTimeout = null)
    {
        if (!RouteTable.TryCompile(snapshot, previous?.Table, out var table, out var tableErrors))
        {
            errors.AddRange(tableErrors);
            return null;
        }

        var clusters = new Dictionary<string, ClusterModel>(StringComparer.Ordinal);
        foreach (var cluster in snapshot.Clusters)
        {
            if (clusters.ContainsKey(cluster.Name))
            {
                continue;
            }

            clusters[cluster.Name] = previous is not null && previous.Clusters.TryGetValue(cluster.Name, out var served) && IrContent.Same(served.Ir, cluster)
                ? served
                : new ClusterModel(cluster);
        }

        var routes = new RouteAction[table.Routes.Count];
        foreach (var route in table.Routes)
        {
            var known = previous is not null && route.PreviousId >= 0 ? previous.Routes[route.PreviousId] : null;
            routes[route.Id] = known is not null && ReferenceEquals(known.Route.Ir, route.Ir) && known.UsesOnly(clusters)
                ? known
                : RouteAction.Compile(route, clusters, errors, defaultTimeout)!;
        }

        var tls = new PortTls?[table.Ports.Count];
        foreach (var port in table.Ports)
        {
            tls[port.Index] = PortTls.Compile(port, errors);
        }

        return errors.Count == 0 ? new ProxyModel(version, table, routes, tls, clusters) : null;
    }

    public ServingPort Serve(PortModel port) => new(this, port, Tls[port.Index]);
}

/// <summary>What one listening socket serves: the model and its port in it. Swapped as one reference.</summary>
internal sealed record ServingPort(ProxyModel Model, PortModel Port, PortTls? Tls);
