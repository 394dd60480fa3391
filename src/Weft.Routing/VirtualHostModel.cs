using Weft.Ir;

namespace Weft.Routing;

/// <summary>A compiled virtual host: its routes in precedence order.</summary>
public sealed class VirtualHostModel
{
    private readonly RouteModel[] _routes;

    internal VirtualHostModel(VirtualHostIr ir, RouteModel[] routes)
    {
        Ir = ir;
        _routes = routes;
    }

    public VirtualHostIr Ir { get; }
    public string Hostname => Ir.Hostname;
    public IReadOnlyList<RouteModel> Routes => _routes;

    internal RouteModel? Match<TRequest>(TRequest request)
        where TRequest : IRouteRequest
    {
        foreach (var route in _routes)
        {
            if (route.Matcher.Matches(request))
            {
                return route;
            }
        }

        return null;
    }

    public override string ToString() => Hostname;
}
