using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled port: the listeners sharing one socket, behind a host lookup.</summary>
public sealed class PortModel
{
    private readonly HostMap<ListenerModel> _listeners;

    internal PortModel(int index, PortIr ir, ListenerModel[] listeners)
    {
        Index = index;
        Ir = ir;
        Listeners = listeners;
        _listeners = new HostMap<ListenerModel>(listeners.Select(l => (l.Hostname, l)));
    }

    /// <summary>Position within the snapshot's ports.</summary>
    public int Index { get; }

    public PortIr Ir { get; }

    /// <summary>The Gateway's port (what clients and redirects see), not necessarily the bind port.</summary>
    public int Port => Ir.Port;

    public IReadOnlyList<ListenerModel> Listeners { get; }

    /// <summary>The listener for a normalised host (also used with the TLS SNI name), or null.</summary>
    public ListenerModel? FindListener(ReadOnlySpan<char> host) => _listeners.Find(host);

    public override string ToString() => $"{Ir.Port} ({Ir.BindAddress}:{Ir.BindPort})";
}
