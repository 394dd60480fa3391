using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Ir;

/// <summary>
/// Whether two snapshots say the same thing, without serializing them whole. The control plane keeps
/// the IR of unchanged routes as the same instances from one translation to the next, so the walk
/// compares routes and clusters by reference first and falls back to their JSON form (the IR's one
/// definition of content) only for elements that are different instances. Everything between the
/// snapshot and its routes is compared field by field through the records' own equality, with the
/// collections compared element by element here, so a field added to a record is never missed.
/// </summary>
public static class IrContent
{
    public static bool Same(GatewaySnapshotIr? a, GatewaySnapshotIr? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null
            || a with { Ports = [], Clusters = [] } != b with { Ports = [], Clusters = [] }
            || !SameElements(a.Clusters, b.Clusters, IrJsonContext.Default.ClusterIr)
            || a.Ports.Length != b.Ports.Length)
        {
            return false;
        }

        for (var p = 0; p < a.Ports.Length; p++)
        {
            if (!Same(a.Ports[p], b.Ports[p]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether two clusters say the same thing (the proxy keeps a cluster's state across snapshots when they do).</summary>
    public static bool Same(ClusterIr a, ClusterIr b) => SameJson(a, b, IrJsonContext.Default.ClusterIr);

    private static bool Same(PortIr a, PortIr b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a with { Listeners = [] } != b with { Listeners = [] } || a.Listeners.Length != b.Listeners.Length)
        {
            return false;
        }

        for (var l = 0; l < a.Listeners.Length; l++)
        {
            if (!Same(a.Listeners[l], b.Listeners[l]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(ListenerIr a, ListenerIr b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a with { VirtualHosts = [] } != b with { VirtualHosts = [] } || a.VirtualHosts.Length != b.VirtualHosts.Length)
        {
            return false;
        }

        for (var h = 0; h < a.VirtualHosts.Length; h++)
        {
            var x = a.VirtualHosts[h];
            var y = b.VirtualHosts[h];
            if (!ReferenceEquals(x, y)
                && (x with { Routes = [] } != y with { Routes = [] } || !SameElements(x.Routes, y.Routes, IrJsonContext.Default.RouteIr)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameElements<T>(ImmutableArray<T> a, ImmutableArray<T> b, JsonTypeInfo<T> json)
        where T : class
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SameJson(a[i], b[i], json))
            {
                return false;
            }
        }

        return true;
    }

    // The same instance, or the same JSON (the IR's one definition of content).
    private static bool SameJson<T>(T a, T b, JsonTypeInfo<T> json)
        where T : class =>
        ReferenceEquals(a, b)
        || JsonSerializer.SerializeToUtf8Bytes(a, json).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, json));
}
