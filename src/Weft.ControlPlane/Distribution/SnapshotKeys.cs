namespace Weft.ControlPlane.Distribution;

/// <summary>
/// Which snapshot a proxy gets: a gateway proxy the one of its Gateway ("ns/name"), a sidecar the
/// one of its namespace ("sidecar:ns"; every workload of a namespace sees the same Services).
/// </summary>
public static class SnapshotKeys
{
    public const string GatewayRole = "gateway";
    public const string SidecarRole = "sidecar";

    public static string ForGateway(string ns, string name) => $"{ns}/{name}";

    public static string ForSidecar(string ns) => $"sidecar:{ns}";

    public static string For(string role, string ns, string name) =>
        role == SidecarRole ? ForSidecar(ns) : ForGateway(ns, name);
}
