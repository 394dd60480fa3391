using System.Net;
using Weft.Api.GatewayApi;

namespace Weft.ControlPlane.Hosting;

/// <summary>
/// Local mode gives each Gateway a loopback address of its own, in the order Gateways are first
/// seen (127.0.0.1, 127.0.0.2, …), so several Gateways can listen on the same port the way each
/// Gateway on a cluster has its own load balancer. An address stays with its Gateway while Weft runs.
/// A Gateway that asks for a loopback IPAddress in spec.addresses gets that one.
/// </summary>
public sealed class GatewayAddressAllocator
{
    private readonly Dictionary<string, string> _assigned = new(StringComparer.Ordinal);
    private uint _next;

    public GatewayAddressAllocator(string firstAddress)
    {
        _next = ToUInt(IPAddress.Parse(firstAddress));
    }

    /// <param name="gateways">Every Gateway, in the order new ones should get addresses (first sight: file, then line).</param>
    public IReadOnlyDictionary<string, string> Assign(IEnumerable<Gateway> gateways)
    {
        lock (_assigned)
        {
            var taken = new HashSet<string>(_assigned.Values, StringComparer.Ordinal);
            foreach (var gw in gateways)
            {
                var key = $"{gw.Metadata.NamespaceProperty}/{gw.Metadata.Name}";
                // The same rule as the translator's (GatewayAddresses.Check): the first loopback IPv4
                // IPAddress entry is bound; others are reported unusable there, not here.
                var requested = gw.Spec.Addresses?.Select(a => string.IsNullOrEmpty(a.Type) || a.Type == "IPAddress" ? a.Value : null)
                    .Select(v => IPAddress.TryParse(v, out var ip) && IPAddress.IsLoopback(ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip.ToString() : null)
                    .FirstOrDefault(v => v is not null);
                if (requested is not null)
                {
                    _assigned[key] = requested;
                    taken.Add(requested);
                    continue;
                }

                if (_assigned.ContainsKey(key))
                {
                    continue;
                }

                string address;
                do
                {
                    address = FromUInt(_next++).ToString();
                }
                while (taken.Contains(address));

                _assigned[key] = address;
                taken.Add(address);
            }

            return new Dictionary<string, string>(_assigned, StringComparer.Ordinal);
        }
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}
