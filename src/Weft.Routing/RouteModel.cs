using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled route: its matcher, its backend picker, and where it came from.</summary>
public sealed class RouteModel
{
    internal RouteModel(int id, RouteIr ir, RouteMatcher matcher)
    {
        Id = id;
        Ir = ir;
        Matcher = matcher;
        Backends = new BackendPicker(ir.Backends);
        DisplayName = $"{ir.RouteNamespace}/{ir.RouteName} rule {ir.RuleIndex}";
    }

    /// <summary>The same compiled route at another position of a newer table (matcher, picker and name are immutable).</summary>
    internal RouteModel(int id, RouteModel compiled)
    {
        Id = id;
        PreviousId = compiled.Id;
        Ir = compiled.Ir;
        Matcher = compiled.Matcher;
        Backends = compiled.Backends;
        DisplayName = compiled.DisplayName;
    }

    /// <summary>Dense index within the table (0..Routes.Count-1), so callers can keep per-route state in an array.</summary>
    public int Id { get; }

    /// <summary>
    /// The <see cref="Id"/> of the route this one was taken over from in the table it was compiled
    /// against (the <c>previous</c> table of <see cref="RouteTable.TryCompile(GatewaySnapshotIr, RouteTable?, out RouteTable?, out IReadOnlyList{string})"/>),
    /// or -1 when it was compiled afresh. Lets a consumer find what it built for the same route.
    /// </summary>
    public int PreviousId { get; } = -1;

    public RouteIr Ir { get; }
    public RouteMatcher Matcher { get; }
    public BackendPicker Backends { get; }

    /// <summary>"namespace/name rule N", for logs, explain and the x-weft-route debug header.</summary>
    public string DisplayName { get; }

    public override string ToString() => DisplayName;
}
