using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled listener: its virtual hosts behind an exact / wildcard / any host lookup.</summary>
public sealed class ListenerModel
{
    private readonly HostMap<VirtualHostModel> _hosts;

    internal ListenerModel(int index, ListenerIr ir, VirtualHostModel[] virtualHosts)
    {
        Index = index;
        Ir = ir;
        VirtualHosts = virtualHosts;
        _hosts = new HostMap<VirtualHostModel>(virtualHosts.Select(h => ((string?)h.Hostname, h)));
    }

    /// <summary>Position within the port's listeners (IR order).</summary>
    public int Index { get; }

    public ListenerIr Ir { get; }
    public string Name => Ir.Name;
    public string? Hostname => Ir.Hostname;
    public IReadOnlyList<VirtualHostModel> VirtualHosts { get; }

    /// <summary>The virtual host for a normalised host (see <see cref="HostName.Normalize"/>), or null.</summary>
    public VirtualHostModel? FindVirtualHost(ReadOnlySpan<char> host) => _hosts.Find(host);

    public override string ToString() => Name;
}
