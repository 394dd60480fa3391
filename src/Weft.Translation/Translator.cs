using System.Collections.Immutable;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>Host settings the translation depends on (never read from the environment).</summary>
public sealed record TranslatorOptions
{
    /// <summary>The GatewayClass controllerName this control plane implements.</summary>
    public string ControllerName { get; init; } = "weft.dev/gateway-controller";

    /// <summary>Bind port = listener port + offset (local mode uses 8000 so port 80 binds 8080).</summary>
    public int PortOffset { get; init; }

    /// <summary>"namespace/name" of a Gateway → the address its proxy binds; a missing entry binds 127.0.0.1.</summary>
    public IReadOnlyDictionary<string, string> GatewayAddresses { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Reuse between translations (the control plane passes one; null compiles everything).</summary>
    public TranslationCache? Cache { get; init; }
}

/// <summary>What one translation produces: per-Gateway IR, status for the resources we own, and diagnostics.</summary>
public sealed record TranslationResult
{
    /// <summary>Keyed "namespace/name"; only Gateways whose class this controller accepts.</summary>
    public ImmutableSortedDictionary<string, GatewaySnapshotIr> Gateways { get; init; } =
        ImmutableSortedDictionary.Create<string, GatewaySnapshotIr>(StringComparer.Ordinal);

    /// <summary>
    /// The outbound configuration of sidecar proxies, keyed by the namespace of the workloads they
    /// serve: every Service by name, with the mesh (Service-parented) HTTPRoutes applied.
    /// </summary>
    public ImmutableSortedDictionary<string, GatewaySnapshotIr> Sidecars { get; init; } =
        ImmutableSortedDictionary.Create<string, GatewaySnapshotIr>(StringComparer.Ordinal);

    /// <summary>Status for every GatewayClass, Gateway and HTTPRoute this controller owns, sorted by key.</summary>
    public ImmutableArray<StatusUpdate> Statuses { get; init; } = [];

    /// <summary>WEFT-coded findings that are not conditions (e.g. a Gateway whose class does not exist).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];
}

/// <summary>
/// The status to write for one resource: a <see cref="Weft.Api.GatewayApi.GatewayClassStatus"/>,
/// <see cref="Weft.Api.GatewayApi.GatewayStatus"/> or <see cref="Weft.Api.GatewayApi.RouteStatus"/>.
/// Conditions carry no lastTransitionTime (left at its default); the control plane stamps times,
/// keeping the old time when a condition's status did not change.
/// For routes, <c>parents</c> holds only the entries of this controller; the writer must keep
/// other controllers' entries.
/// </summary>
public sealed record StatusUpdate(ResourceKey Key, object Status);

/// <summary>The translator: a pure function from a resource snapshot to IR, status and diagnostics.</summary>
public static class Translator
{
    public static TranslationResult Translate(ResourceSnapshot snapshot, TranslatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);

        var context = new TranslationContext(snapshot, options);
        options.Cache?.BeginTranslation(snapshot, options);

        // Pass 1: classes we own.
        var classes = GatewayClassTranslator.Translate(context);

        // Pass 2: Gateways of those classes, their listeners (validation, conflicts, certificates).
        var gateways = GatewayTranslator.Translate(context, classes);

        // Pass 3: HTTPRoutes: rules compiled once, then attached to each parent's listeners.
        var routes = HttpRouteTranslator.Translate(context, gateways);

        // Pass 3c: an HTTPRoute and a GRPCRoute may not share a listener's hostnames: the older one wins.
        RouteKindConflicts.Resolve(gateways);

        // Pass 3b: mesh routes (Service parents) and the sidecars' outbound configuration.
        // GRPCRoutes are not served in the mesh yet (their Service parents are reported by the route pass).
        var sidecars = MeshTranslator.Translate(context, [.. routes.Where(r => r.Kind == Weft.Api.GatewayApi.HttpRoute.KindName)]);

        // Pass 4: IR per Gateway (ports, listeners, virtual hosts, precedence, clusters).
        var irs = ImmutableSortedDictionary.CreateBuilder<string, GatewaySnapshotIr>(StringComparer.Ordinal);
        foreach (var gateway in gateways)
        {
            if (gateway.Programmable)
            {
                var ir = IrBuilder.Build(context, gateway);
                context.BackendTls.NoteGateway(gateway, ir.Clusters);
                irs[gateway.Id] = ir;
            }
        }

        // Pass 5: status.
        var statuses = new List<StatusUpdate>();
        statuses.AddRange(classes.Select(c => c.Status));
        statuses.AddRange(gateways.Select(g => Status.GatewayStatusBuilder.Build(context, g)));
        foreach (var route in routes)
        {
            if (route.Parents.Count > 0)
            {
                statuses.Add(options.Cache is { } cache ? cache.RouteStatus(route, options.ControllerName) : Status.RouteStatusBuilder.Build(route, options.ControllerName));
            }
        }

        statuses.AddRange(context.BackendTls.Statuses(options.ControllerName));
        statuses.Sort((a, b) => a.Key.CompareTo(b.Key));
        options.Cache?.EndTranslation();

        return new TranslationResult
        {
            Gateways = irs.ToImmutable(),
            Sidecars = sidecars,
            Statuses = [.. statuses],
            Diagnostics = context.Diagnostics.Sorted(),
        };
    }
}
