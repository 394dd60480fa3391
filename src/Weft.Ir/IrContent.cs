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
    public static bool Same(GatewaySnapshotIr? a, GatewaySnapshotIr? b) =>
        ReferenceEquals(a, b)
        || (a is not null && b is not null
            && a with { Ports = [], Clusters = [] } == b with { Ports = [], Clusters = [] }
            && SameElements(a.Clusters, b.Clusters, IrJsonContext.Default.ClusterIr)
            && SameElements(a.Ports, b.Ports, Same));

    /// <summary>Whether two clusters say the same thing (the proxy keeps a cluster's state across snapshots when they do).</summary>
    public static bool Same(ClusterIr a, ClusterIr b) => SameJson(a, b, IrJsonContext.Default.ClusterIr);

    private static bool Same(PortIr a, PortIr b) =>
        ReferenceEquals(a, b)
        || (a with { Listeners = [] } == b with { Listeners = [] } && SameElements(a.Listeners, b.Listeners, Same));

    private static bool Same(ListenerIr a, ListenerIr b) =>
        ReferenceEquals(a, b)
        || (a with { VirtualHosts = [] } == b with { VirtualHosts = [] } && SameElements(a.VirtualHosts, b.VirtualHosts, Same));

    private static bool Same(VirtualHostIr a, VirtualHostIr b) =>
        ReferenceEquals(a, b)
        || (a with { Routes = [] } == b with { Routes = [] } && SameElements(a.Routes, b.Routes, IrJsonContext.Default.RouteIr));

    // Element by element, in order; the method groups are static, so no delegate is allocated per call.
    private static bool SameElements<T>(ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, bool> same)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!same(a[i], b[i]))
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
