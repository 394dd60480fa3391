using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// What one translation may reuse from the previous one, for a control plane that translates the
/// whole store on every change: an HTTPRoute's compiled rules (matches, filters, resolved backends,
/// their diagnostics) depend only on the route object itself and on the Services, ServiceEntries
/// and ReferenceGrants its backendRefs resolve against. The store keeps an unchanged resource's
/// object instance across snapshots, so a route whose object and whose backend world are the same
/// instances as last time is not compiled again. Everything after compilation (attachment,
/// precedence, status, IR) is recomputed: those depend on every other route and Gateway.
/// One cache serves one translation at a time (the control plane's translation loop).
/// </summary>
public sealed class TranslationCache
{
    private ConditionalWeakTable<HttpRoute, CompiledHttpRoute> _routes = new();
    private ImmutableArray<object> _world = [];

    // Virtual hosts of the last translation and of the one running, by (gateway, listener, hostname).
    private Dictionary<(string, string, string), (List<RankedRoute> Inputs, VirtualHostIr Ir)> _hosts = [];
    private Dictionary<(string, string, string), (List<RankedRoute> Inputs, VirtualHostIr Ir)> _nextHosts = [];

    /// <summary>Compilations reused / done by the last translation (for tests and the debug log).</summary>
    public (int Reused, int Compiled) LastRouteCounts { get; internal set; }

    // Route statuses of the last translation and of the one running, by route object.
    private Dictionary<HttpRoute, RouteVerdict> _statuses = new(ReferenceEqualityComparer.Instance);
    private Dictionary<HttpRoute, RouteVerdict> _nextStatuses = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The status of an HTTPRoute: the last translation's object when the route is the same object,
    /// compiled the same and with the same verdict for every parent (the usual case for all but the
    /// routes a change touched), else built afresh.
    /// </summary>
    internal StatusUpdate RouteStatus(HttpRouteState route, string controllerName)
    {
        if (route.Kind != HttpRoute.KindName)
        {
            return Status.RouteStatusBuilder.Build(route, controllerName);
        }

        if (_statuses.TryGetValue(route.Route, out var last) && last.SameAs(route, controllerName))
        {
            _nextStatuses[route.Route] = last;
            return last.Status;
        }

        var verdict = new RouteVerdict(route, controllerName, Status.RouteStatusBuilder.Build(route, controllerName));
        _nextStatuses[route.Route] = verdict;
        return verdict.Status;
    }

    internal (List<RankedRoute> Inputs, VirtualHostIr Ir)? PreviousVirtualHost((string, string, string) key) =>
        _hosts.TryGetValue(key, out var entry) ? entry : null;

    internal void KeepVirtualHost((string, string, string) key, List<RankedRoute> inputs, VirtualHostIr ir) => _nextHosts[key] = (inputs, ir);

    /// <summary>Called when a translation starts: forgets what a translation that failed half-way kept.</summary>
    internal void BeginTranslation()
    {
        _nextHosts = [];
        _nextStatuses = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>Called when a translation ends: what it built is what the next one may reuse (and nothing older).</summary>
    internal void EndTranslation()
    {
        _hosts = _nextHosts;
        _nextHosts = [];
        _statuses = _nextStatuses;
        _nextStatuses = new(ReferenceEqualityComparer.Instance);
    }

    internal ConditionalWeakTable<HttpRoute, CompiledHttpRoute> RoutesFor(ResourceSnapshot snapshot)
    {
        // Any Service, ServiceEntry or ReferenceGrant added, removed or changed: compile everything again.
        var world = ImmutableArray.CreateBuilder<object>(snapshot.Services.Length + snapshot.ServiceEntries.Length + snapshot.ReferenceGrants.Length);
        world.AddRange(snapshot.Services);
        world.AddRange(snapshot.ServiceEntries);
        world.AddRange(snapshot.ReferenceGrants);
        if (!SameInstances(world, _world))
        {
            _routes = new ConditionalWeakTable<HttpRoute, CompiledHttpRoute>();
            _world = world.MoveToImmutable();
        }

        return _routes;
    }

    private static bool SameInstances(ImmutableArray<object>.Builder a, ImmutableArray<object> b)
    {
        if (a.Count != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One HTTPRoute compiled: what <see cref="HttpRouteState"/> holds before attachment, plus the diagnostics it produced.</summary>
internal sealed record CompiledHttpRoute(
    IReadOnlyList<CompiledRule> Rules,
    string? UnresolvedReason,
    IReadOnlyList<string> UnresolvedMessages,
    IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>What an HTTPRoute's status was built from, and the status.</summary>
internal sealed record RouteVerdict(HttpRouteState State, string ControllerName, StatusUpdate Status)
{
    public bool SameAs(HttpRouteState route, string controllerName)
    {
        if (controllerName != ControllerName
            || !ReferenceEquals(route.Rules, State.Rules)
            || route.UnresolvedReason != State.UnresolvedReason
            || !ReferenceEquals(route.UnresolvedMessages, State.UnresolvedMessages)
            || route.Parents.Count != State.Parents.Count)
        {
            return false;
        }

        for (var i = 0; i < route.Parents.Count; i++)
        {
            if (route.Parents[i] != State.Parents[i])
            {
                return false;
            }
        }

        return true;
    }
}
