using System.Net;
using System.Net.Sockets;
using Weft.Api.GatewayApi;

namespace Weft.Translation;

/// <summary>
/// What Weft makes of a Gateway's spec.addresses in local mode, where "an address" is a loopback
/// IPv4 address the proxy binds (each Gateway gets one, like its own load balancer).
/// </summary>
/// <param name="BindAddress">The address the proxy binds: the requested loopback address, else the assigned one.</param>
/// <param name="Supported">False when an entry has a type Weft cannot assign (Accepted=False/UnsupportedAddress).</param>
/// <param name="Usable">False when a valid entry cannot be bound here (Programmed=False/AddressNotUsable).</param>
internal sealed record GatewayAddressVerdict(string BindAddress, bool Supported, bool Usable, string Message);

internal static class GatewayAddresses
{
    public const string IpAddressType = "IPAddress";

    /// <param name="assigned">The address the control plane assigned (used when no entry names a usable one).</param>
    public static GatewayAddressVerdict Check(Gateway gateway, string assigned)
    {
        var entries = gateway.Spec.Addresses ?? [];
        var unsupported = new List<string>();
        var unusable = new List<string>();
        string? requested = null;
        foreach (var a in entries)
        {
            // The CRD defaults the type to IPAddress; the file source applies no defaults.
            var type = string.IsNullOrEmpty(a.Type) ? IpAddressType : a.Type;
            if (type != IpAddressType)
            {
                unsupported.Add($"{a.Value} (type {type}; Weft assigns IPAddress addresses only)");
            }
            else if (string.IsNullOrEmpty(a.Value))
            {
                // GatewayAddressEmpty: "any IP address", i.e. the one the control plane assigns.
            }
            else if (!IPAddress.TryParse(a.Value, out var ip))
            {
                unsupported.Add($"{a.Value} (not an IP address)");
            }
            else if (!IsBindable(ip))
            {
                unusable.Add($"{a.Value} (local mode binds loopback IPv4 addresses, 127.0.0.0/8)");
            }
            else if (requested is null)
            {
                requested = ip.ToString();
            }
            else if (ip.ToString() != requested)
            {
                // One proxy per Gateway binds one address; a second one would silently go unserved.
                unusable.Add($"{a.Value} (Weft binds one address per Gateway: {requested})");
            }
        }

        var bind = requested ?? assigned;
        if (unsupported.Count > 0)
        {
            return new GatewayAddressVerdict(bind, false, false, "unsupported address(es): " + string.Join(", ", unsupported));
        }

        return unusable.Count > 0
            ? new GatewayAddressVerdict(bind, true, false, "address(es) that cannot be bound: " + string.Join(", ", unusable))
            : new GatewayAddressVerdict(bind, true, true, "");
    }

    /// <summary>The addresses the allocator may hand out as requested: the ones <see cref="Check"/> binds.</summary>
    public static bool IsBindable(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(ip);
}
