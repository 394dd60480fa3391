using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Weft.Api.GatewayApi;
using Weft.Api.Model;

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

    /// <summary>Compilations reused / done by the last translation (for tests and the debug log).</summary>
    public (int Reused, int Compiled) LastRouteCounts { get; internal set; }

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
