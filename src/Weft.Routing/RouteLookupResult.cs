using System.Globalization;

namespace Weft.Routing;

/// <summary>
/// What a lookup found: how far it got (port → listener → virtual host → route) and, when it stopped
/// short, why. A struct so the proxy path does not allocate; <see cref="Describe"/> builds the message
/// only when someone asks.
/// </summary>
public readonly struct RouteLookupResult
{
    internal RouteLookupResult(
        RouteTable table,
        RouteLookupStatus status,
        string host,
        int requestPort,
        PortModel? port,
        ListenerModel? listener,
        VirtualHostModel? virtualHost,
        RouteModel? route)
    {
        Table = table;
        Status = status;
        RequestHost = host;
        RequestPort = requestPort;
        Port = port;
        Listener = listener;
        VirtualHost = virtualHost;
        Route = route;
    }

    public RouteTable Table { get; }
    public RouteLookupStatus Status { get; }

    /// <summary>The Host header as the request carried it.</summary>
    public string RequestHost { get; }

    /// <summary>The Gateway port the request was looked up on.</summary>
    public int RequestPort { get; }

    public PortModel? Port { get; }
    public ListenerModel? Listener { get; }
    public VirtualHostModel? VirtualHost { get; }
    public RouteModel? Route { get; }

    public bool IsMatch => Status == RouteLookupStatus.Matched && Route is not null;

    /// <summary>One line: what matched, or exactly where and why the lookup stopped.</summary>
    public string Describe()
    {
        var host = HostName.Display(RequestHost);
        switch (Status)
        {
            case RouteLookupStatus.Matched:
                return $"port {Port!.Port} → listener {Listener!.Name} → host {VirtualHost!.Hostname} → route {Route!.DisplayName}";
            case RouteLookupStatus.NoPort:
                var ports = Table.Ports.Count == 0 ? "none" : string.Join(", ", Table.Ports.Select(p => p.Port.ToString(CultureInfo.InvariantCulture)));
                return $"no listener on port {RequestPort} (the gateway's ports are {ports})";
            case RouteLookupStatus.NoListener:
                var names = string.Join(", ", Port!.Listeners.Select(l => $"{l.Name}: {l.Hostname ?? "any host"}"));
                return $"no listener on port {Port.Port} for host {host} (listener hostnames are {names})";
            case RouteLookupStatus.NoVirtualHost:
                var hosts = Listener!.VirtualHosts.Count == 0 ? "none: no route is attached" : string.Join(", ", Listener.VirtualHosts.Select(h => h.Hostname));
                return $"listener {Listener.Name} has no virtual host for {host} (its hosts are {hosts})";
            case RouteLookupStatus.None:
                return "no lookup";
            default:
                return $"no route matched in host {VirtualHost!.Hostname} of listener {Listener!.Name} ({VirtualHost.Routes.Count} routes; explain lists why each did not match)";
        }
    }

    public override string ToString() => Describe();
}
