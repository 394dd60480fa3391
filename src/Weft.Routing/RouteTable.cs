using System.Collections.Immutable;
using Weft.Ir;

namespace Weft.Routing;

/// <summary>
/// The compiled, immutable routing model of one <see cref="GatewaySnapshotIr"/>: ports → listeners →
/// virtual hosts → routes, with every regex compiled and every host lower-cased up front. The proxy
/// and the explain simulator both use it, so what explain says is what the proxy does.
/// </summary>
public sealed class RouteTable
{
    private readonly PortModel[] _ports;
    private readonly RouteModel[] _routes;

    private RouteTable(GatewaySnapshotIr snapshot, PortModel[] ports, RouteModel[] routes, IReadOnlyDictionary<string, System.Text.RegularExpressions.Regex> regexes)
    {
        Snapshot = snapshot;
        _ports = ports;
        _routes = routes;
        Regexes = regexes;
    }

    /// <summary>The compiled regular expressions by pattern, reused by the next table compiled from this one.</summary>
    internal IReadOnlyDictionary<string, System.Text.RegularExpressions.Regex> Regexes { get; }

    public GatewaySnapshotIr Snapshot { get; }
    public IReadOnlyList<PortModel> Ports => _ports;

    /// <summary>Every route of every virtual host, indexed by <see cref="RouteModel.Id"/>.</summary>
    public IReadOnlyList<RouteModel> Routes => _routes;

    /// <summary>Compiles the snapshot or throws <see cref="RouteTableException"/> listing every problem.</summary>
    public static RouteTable Compile(GatewaySnapshotIr snapshot) =>
        TryCompile(snapshot, out var table, out var errors) ? table : throw new RouteTableException(errors);

    public static bool TryCompile(GatewaySnapshotIr snapshot, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteTable? table, out IReadOnlyList<string> errors) =>
        TryCompile(snapshot, previous: null, out table, out errors);

    /// <summary>
    /// Compiles <paramref name="snapshot"/>, reusing the compiled regular expressions of
    /// <paramref name="previous"/> (the table being served) for patterns both have: a config change
    /// then pays only for what changed. The result is the same as compiling from scratch.
    /// </summary>
    public static bool TryCompile(GatewaySnapshotIr snapshot, RouteTable? previous, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteTable? table, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        var regexes = new RegexFactory(previous?.Regexes);
        var total = 0;
        foreach (var portIr in snapshot.Ports)
        {
            foreach (var listenerIr in portIr.Listeners)
            {
                foreach (var hostIr in listenerIr.VirtualHosts)
                {
                    total += hostIr.Routes.Length;
                }
            }
        }

        var routes = new List<RouteModel>(total);
        var ports = new PortModel[snapshot.Ports.Length];

        // A route whose IR is the very instance the served table compiled keeps its compiled
        // matcher: the control plane reuses the IR of unchanged routes (and of unchanged virtual
        // hosts), and an in-process proxy receives it as is, so a change recompiles only the routes
        // it touched. The served table's virtual hosts are found by listener and hostname; one that
        // is the same IR instance is taken over route by route, positionally.
        Dictionary<(string Listener, string Host), VirtualHostModel>? served = null;
        if (previous is not null)
        {
            served = [];
            foreach (var port in previous._ports)
            {
                foreach (var listener in port.Listeners)
                {
                    foreach (var host in listener.VirtualHosts)
                    {
                        served.TryAdd((listener.Ir.Name, host.Hostname), host);
                    }
                }
            }
        }

        for (var p = 0; p < ports.Length; p++)
        {
            var portIr = snapshot.Ports[p];
            var listeners = new ListenerModel[portIr.Listeners.Length];
            for (var l = 0; l < listeners.Length; l++)
            {
                var listenerIr = portIr.Listeners[l];
                var hosts = new VirtualHostModel[listenerIr.VirtualHosts.Length];
                for (var h = 0; h < hosts.Length; h++)
                {
                    var hostIr = listenerIr.VirtualHosts[h];
                    VirtualHostModel? before = null;
                    served?.TryGetValue((listenerIr.Name, hostIr.Hostname), out before);
                    Dictionary<RouteIr, RouteModel>? known = null;
                    if (before is not null && (!ReferenceEquals(before.Ir, hostIr) || before.Routes.Count != hostIr.Routes.Length))
                    {
                        known = new Dictionary<RouteIr, RouteModel>(before.Routes.Count, ReferenceEqualityComparer.Instance);
                        foreach (var route in before.Routes)
                        {
                            known.TryAdd(route.Ir, route);
                        }
                    }

                    var hostRoutes = new RouteModel[hostIr.Routes.Length];
                    var count = 0;
                    for (var r = 0; r < hostIr.Routes.Length; r++)
                    {
                        var routeIr = hostIr.Routes[r];
                        var reusable = known is not null
                            ? known.GetValueOrDefault(routeIr)
                            : before is not null ? before.Routes[r] : null;
                        if (reusable is not null)
                        {
                            regexes.Keep(routeIr.Match);
                            var reused = new RouteModel(routes.Count, reusable);
                            routes.Add(reused);
                            hostRoutes[count++] = reused;
                            continue;
                        }

                        var where = $"listener {listenerIr.Name} host {hostIr.Hostname} route {routeIr.RouteNamespace}/{routeIr.RouteName} rule {routeIr.RuleIndex}";
                        var matcher = RouteMatcher.Compile(routeIr.Match, regexes, where, problems);
                        if (matcher is not null)
                        {
                            var route = new RouteModel(routes.Count, routeIr, matcher);
                            routes.Add(route);
                            hostRoutes[count++] = route;
                        }
                    }

                    hosts[h] = new VirtualHostModel(hostIr, count == hostRoutes.Length ? hostRoutes : hostRoutes[..count]);
                }

                listeners[l] = new ListenerModel(l, listenerIr, hosts);
            }

            ports[p] = new PortModel(p, portIr, listeners);
        }

        errors = problems;
        table = problems.Count == 0 ? new RouteTable(snapshot, ports, routes.ToArray(), regexes.Compiled) : null;
        return table is not null;
    }

    /// <summary>The port with this Gateway port number (<see cref="PortIr.Port"/>), or null.</summary>
    public PortModel? FindPort(int port)
    {
        foreach (var candidate in _ports)
        {
            if (candidate.Port == port)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Looks a request up on the Gateway port <paramref name="port"/> (as explain is asked).</summary>
    public RouteLookupResult Lookup<TRequest>(int port, TRequest request)
        where TRequest : IRouteRequest
    {
        var model = FindPort(port);
        return model is null
            ? new RouteLookupResult(this, RouteLookupStatus.NoPort, request.Host, port, null, null, null, null)
            : Lookup(model, request);
    }

    /// <summary>Looks a request up on a port of this table (the proxy knows which one accepted the connection).</summary>
    public RouteLookupResult Lookup<TRequest>(PortModel port, TRequest request)
        where TRequest : IRouteRequest
    {
        ArgumentNullException.ThrowIfNull(port);
        var rawHost = request.Host;
        var host = HostName.Normalize(rawHost);
        var listener = port.FindListener(host);
        if (listener is null)
        {
            return new RouteLookupResult(this, RouteLookupStatus.NoListener, rawHost, port.Port, port, null, null, null);
        }

        var virtualHost = listener.FindVirtualHost(host);
        if (virtualHost is null)
        {
            return new RouteLookupResult(this, RouteLookupStatus.NoVirtualHost, rawHost, port.Port, port, listener, null, null);
        }

        var route = virtualHost.Match(request);
        return new RouteLookupResult(
            this,
            route is null ? RouteLookupStatus.NoRoute : RouteLookupStatus.Matched,
            rawHost,
            port.Port,
            port,
            listener,
            virtualHost,
            route);
    }

    /// <summary>
    /// The lookup plus, for every route of the chosen virtual host, whether it matched and why not —
    /// evaluated with the same compiled matchers as <see cref="Lookup{TRequest}(int, TRequest)"/>.
    /// </summary>
    public RouteExplanation Explain<TRequest>(int port, TRequest request)
        where TRequest : IRouteRequest
    {
        var result = Lookup(port, request);
        if (result.VirtualHost is null)
        {
            return new RouteExplanation(result, [], result.Describe());
        }

        var candidates = ImmutableArray.CreateBuilder<RouteCandidate>(result.VirtualHost.Routes.Count);
        var pathMatched = 0;
        foreach (var route in result.VirtualHost.Routes)
        {
            var mismatches = new List<string>();
            route.Matcher.Explain(request, mismatches);
            if (route.Matcher.Path.Matches(request.Path))
            {
                pathMatched++;
            }

            candidates.Add(new RouteCandidate(route, mismatches.Count == 0, ReferenceEquals(route, result.Route), [.. mismatches]));
        }

        string summary;
        if (result.IsMatch)
        {
            summary = result.Describe();
        }
        else if (result.VirtualHost.Routes.Count == 0)
        {
            summary = $"no route matched: host {result.VirtualHost.Hostname} of listener {result.Listener!.Name} has no routes";
        }
        else if (pathMatched == 0)
        {
            summary = $"no route matched: path {request.Path} did not match any of the {result.VirtualHost.Routes.Count} routes of host {result.VirtualHost.Hostname}";
        }
        else
        {
            summary = $"no route matched: path {request.Path} matched {pathMatched} of the {result.VirtualHost.Routes.Count} routes of host {result.VirtualHost.Hostname}, but their method, header or query conditions did not hold";
        }

        return new RouteExplanation(result, candidates.MoveToImmutable(), summary);
    }
}
