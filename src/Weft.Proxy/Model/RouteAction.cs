using Weft.Ir;
using Weft.Proxy.Filters;
using Weft.Proxy.Forwarding;
using Weft.Routing;

namespace Weft.Proxy.Model;

/// <summary>What the proxy does once a route matched: its filters and its backends, compiled.</summary>
internal sealed class RouteAction
{
    private RouteAction(RouteModel route, HeaderModifier[] requestModifiers, HeaderModifier[] responseModifiers, RedirectAction? redirect, BackendAction[] backends,
        RequestMirror[] mirrors, RouteTimeouts? timeouts, CorsPolicy? cors)
    {
        Cors = cors;
        Route = route;
        RequestModifiers = requestModifiers;
        ResponseModifiers = responseModifiers;
        Redirect = redirect;
        Backends = backends;
        Mirrors = mirrors;
        Timeouts = timeouts;
    }

    public RouteModel Route { get; }
    public HeaderModifier[] RequestModifiers { get; }
    public HeaderModifier[] ResponseModifiers { get; }
    public RedirectAction? Redirect { get; }

    /// <summary>Copies sent after the route's request filters; empty for most routes.</summary>
    public RequestMirror[] Mirrors { get; }

    /// <summary>Null when the route sets no timeout.</summary>
    public RouteTimeouts? Timeouts { get; }

    /// <summary>Null when the route has no CORS filter.</summary>
    public CorsPolicy? Cors { get; }

    /// <summary>Parallel to <see cref="RouteIr.Backends"/>, so the picker's index applies directly.</summary>
    public BackendAction[] Backends { get; }

    /// <summary>
    /// Whether every cluster this action sends to is the very instance <paramref name="clusters"/>
    /// holds under its name, so the action can serve a newer snapshot unchanged.
    /// </summary>
    public bool UsesOnly(Dictionary<string, ClusterModel> clusters)
    {
        foreach (var backend in Backends)
        {
            if (backend.Cluster is { } cluster && (!clusters.TryGetValue(cluster.Name, out var current) || !ReferenceEquals(current, cluster)))
            {
                return false;
            }
        }

        foreach (var mirror in Mirrors)
        {
            if (!clusters.TryGetValue(mirror.Cluster, out var current) || !ReferenceEquals(current, mirror.Target))
            {
                return false;
            }
        }

        return true;
    }

    public static RouteAction? Compile(RouteModel route, IReadOnlyDictionary<string, ClusterModel> clusters, List<string> errors, TimeSpan? defaultTimeout = null)
    {
        var where = $"route {route.DisplayName}";
        var before = errors.Count;
        var routeFilters = CompileFilters(route.Ir.Filters, route, where, errors);
        var timeouts = RouteTimeouts.Compile(route.Ir.Timeouts, defaultTimeout);
        var mirrors = new List<RequestMirror>();
        foreach (var mirror in route.Ir.Filters.OfType<RequestMirrorIr>())
        {
            if (clusters.TryGetValue(mirror.Cluster, out var mirrorCluster))
            {
                mirrors.Add(new RequestMirror(mirrorCluster, mirror.Numerator, mirror.Denominator, routeFilters.RewriteHost, routeFilters.RewritePath));
            }
            else
            {
                errors.Add($"{where}: mirror cluster {mirror.Cluster} is not defined");
            }
        }

        var backends = new BackendAction[route.Ir.Backends.Length];
        for (var i = 0; i < backends.Length; i++)
        {
            var ir = route.Ir.Backends[i];
            ClusterModel? cluster = null;
            if (ir.Cluster is not null && !clusters.TryGetValue(ir.Cluster, out cluster))
            {
                errors.Add($"{where}: backend cluster {ir.Cluster} is not defined");
            }

            if (ir.Filters.Any(f => f is RequestMirrorIr or CorsIr))
            {
                errors.Add($"{where} backend {i}: RequestMirror and CORS are only supported on a route");
            }

            // Backend filters run after the route's; a backend URLRewrite takes precedence over the route's.
            var own = CompileFilters(ir.Filters, route, $"{where} backend {i}", errors);
            var transformer = new ForwardTransformer(
                route,
                own.RewriteHost ?? routeFilters.RewriteHost,
                own.RewritePath ?? routeFilters.RewritePath,
                [.. routeFilters.Response, .. own.Response],
                routeFilters.Cors);
            var requestConfig = cluster is null ? null : RouteTimeouts.RequestConfig(cluster.RequestConfig, timeouts);
            backends[i] = new BackendAction(cluster, [.. own.Request], transformer, ir.InvalidReason, requestConfig);
        }

        return errors.Count > before
            ? null
            : new RouteAction(route, [.. routeFilters.Request], [.. routeFilters.Response], routeFilters.Redirect, backends, [.. mirrors], timeouts, routeFilters.Cors);
    }

    private static CompiledFilters CompileFilters(IEnumerable<FilterIr> filters, RouteModel route, string where, List<string> errors)
    {
        var compiled = new CompiledFilters();
        foreach (var filter in filters)
        {
            switch (filter)
            {
                case RequestHeaderModifierIr f:
                    compiled.Request.Add(new HeaderModifier(f.Modifier));
                    break;
                case ResponseHeaderModifierIr f:
                    compiled.Response.Add(new HeaderModifier(f.Modifier));
                    break;
                case RequestRedirectIr f:
                    compiled.Redirect ??= new RedirectAction(f, PathRewrite.Compile(f.Path, route, $"{where} RequestRedirect", errors));
                    break;
                case UrlRewriteIr f:
                    compiled.RewriteHost ??= f.Hostname;
                    compiled.RewritePath ??= PathRewrite.Compile(f.Path, route, $"{where} URLRewrite", errors);
                    break;
                case CorsIr f:
                    compiled.Cors ??= new CorsPolicy(f);
                    break;
                case RequestMirrorIr:
                    // Compiled by Compile once the route's rewrite is known (and refused on a backend there).
                    break;
                default:
                    // Refuse rather than silently ignore: a filter the proxy cannot honour must NACK.
                    errors.Add($"{where}: unsupported filter {filter.GetType().Name}");
                    break;
            }
        }

        return compiled;
    }

    private sealed class CompiledFilters
    {
        public List<HeaderModifier> Request { get; } = [];
        public List<HeaderModifier> Response { get; } = [];
        public RedirectAction? Redirect { get; set; }
        public string? RewriteHost { get; set; }
        public PathRewrite? RewritePath { get; set; }
        public CorsPolicy? Cors { get; set; }
    }
}
