using System.Collections.Immutable;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// What one translation may reuse from the previous one, for a control plane that translates the
/// whole store on every change. The store keeps an unchanged resource's object instance across
/// snapshots, so reuse is decided by reference:
/// <list type="bullet">
/// <item>an HTTPRoute's compiled rules (matches, filters, resolved backends, their diagnostics)
/// depend only on the route object and on the Services, ServiceEntries and ReferenceGrants its
/// backendRefs resolve against: reused while all of those are the same instances;</item>
/// <item>a virtual host whose routes are the same IR instances, with the same ages, keeps its IR
/// (no precedence sort; downstream sees the same instance);</item>
/// <item>an HTTPRoute whose compilation was reused keeps its attachment (listeners, hostnames,
/// verdict per parent) while every input of attachment is the same list instance as last time:
/// Gateways, GatewayClasses, Namespaces, Secrets, ConfigMaps, ReferenceGrants, BackendTLSPolicies
/// (the store keeps a kind's list when none of its objects changed);</item>
/// <item>an HTTPRoute whose compilation was reused and whose verdict per parent is unchanged keeps
/// its status object.</item>
/// </list>
/// Precedence within a changed virtual host, route-kind conflicts and IR assembly are still
/// evaluated on every translation. Each kind of entry is kept for one translation: what a translation did not use is
/// dropped, so the cache holds only what the store holds. One cache serves one translation at a
/// time (the control plane's translation loop).
/// </summary>
public sealed class TranslationCache
{
    private readonly Generations<HttpRoute, CompiledHttpRoute> _routes = new(ReferenceEqualityComparer.Instance);
    private readonly Generations<(string, string, string), (List<RankedRoute> Inputs, VirtualHostIr Ir)> _hosts = new(EqualityComparer<(string, string, string)>.Default);
    private readonly Generations<HttpRoute, RouteVerdict> _statuses = new(ReferenceEqualityComparer.Instance);
    private readonly Generations<HttpRoute, AttachmentMemo> _attachments = new(ReferenceEqualityComparer.Instance);
    private ImmutableArray<object> _world = [];
    private AttachmentInputs? _attachmentInputs;

    /// <summary>Compilations reused / done by the last translation (for tests and the debug log).</summary>
    public (int Reused, int Compiled) LastRouteCounts { get; internal set; }

    /// <summary>HTTPRoute attachments replayed / evaluated by the last translation (for tests and the debug log).</summary>
    public (int Reused, int Evaluated) LastAttachmentCounts { get; private set; }

    private int _attachmentsReused;

    /// <summary>Called when a translation starts: forgets what a translation that failed half-way kept.</summary>
    internal void BeginTranslation(ResourceSnapshot snapshot, TranslatorOptions options)
    {
        _routes.Begin();
        _hosts.Begin();
        _statuses.Begin();
        _attachments.Begin();
        _attachmentsReused = 0;

        // Anything attachment reads changed (a Gateway, a Namespace's labels, a certificate...):
        // evaluate every route's attachment again.
        var inputs = new AttachmentInputs(snapshot.Gateways, snapshot.GatewayClasses, snapshot.Namespaces, snapshot.Secrets,
            snapshot.ConfigMaps, snapshot.ReferenceGrants, snapshot.BackendTlsPolicies, options.ControllerName, options.PortOffset);
        if (inputs != _attachmentInputs)
        {
            _attachments.Clear();
            _attachmentInputs = inputs;
        }

        // Any Service, ServiceEntry or ReferenceGrant added, removed or changed: compile every route again.
        var world = ImmutableArray.CreateBuilder<object>(snapshot.Services.Length + snapshot.ServiceEntries.Length + snapshot.ReferenceGrants.Length);
        world.AddRange(snapshot.Services);
        world.AddRange(snapshot.ServiceEntries);
        world.AddRange(snapshot.ReferenceGrants);
        if (!SameInstances(world, _world))
        {
            _routes.Clear();
            _attachments.Clear();
            _world = world.MoveToImmutable();
        }
    }

    /// <summary>Called when a translation ends: what it used is what the next one may reuse (and nothing older).</summary>
    internal void EndTranslation()
    {
        _routes.End();
        _hosts.End();
        _statuses.End();
        LastAttachmentCounts = (_attachmentsReused, _attachments.NextCount - _attachmentsReused);
        _attachments.End();
    }

    /// <summary>The attachment this route object got last time, if its compiled rules are the same and nothing attachment reads changed.</summary>
    internal bool TryGetAttachment(HttpRoute route, IReadOnlyList<CompiledRule> rules, out AttachmentMemo memo)
    {
        if (!_attachments.TryPeek(route, out memo) || !ReferenceEquals(memo.Rules, rules))
        {
            return false;
        }

        _attachments.Keep(route, memo);
        _attachmentsReused++;
        return true;
    }

    internal void KeepAttachment(HttpRoute route, AttachmentMemo memo) => _attachments.Keep(route, memo);

    internal bool TryGetCompiled(HttpRoute route, out CompiledHttpRoute compiled) => _routes.TryTake(route, out compiled);

    internal void KeepCompiled(HttpRoute route, CompiledHttpRoute compiled) => _routes.Keep(route, compiled);

    internal (List<RankedRoute> Inputs, VirtualHostIr Ir)? PreviousVirtualHost((string, string, string) key) =>
        _hosts.TryPeek(key, out var entry) ? entry : null;

    internal void KeepVirtualHost((string, string, string) key, List<RankedRoute> inputs, VirtualHostIr ir) => _hosts.Keep(key, (inputs, ir));

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

        if (_statuses.TryPeek(route.Route, out var last) && last.SameAs(route, controllerName))
        {
            _statuses.Keep(route.Route, last);
            return last.Status;
        }

        var verdict = new RouteVerdict(route, controllerName, Status.RouteStatusBuilder.Build(route, controllerName));
        _statuses.Keep(route.Route, verdict);
        return verdict.Status;
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

    /// <summary>Entries of the last translation (read) and of the running one (written); swapped at the end.</summary>
    private sealed class Generations<TKey, TValue>(IEqualityComparer<TKey> comparer)
        where TKey : notnull
    {
        private Dictionary<TKey, TValue> _last = new(comparer);
        private Dictionary<TKey, TValue> _next = new(comparer);

        public void Begin() => _next = new Dictionary<TKey, TValue>(_last.Count, comparer);

        public void Clear() => _last = new Dictionary<TKey, TValue>(comparer);

        public bool TryPeek(TKey key, out TValue value) => _last.TryGetValue(key, out value!);

        /// <summary>Looks an entry up in the last translation's and keeps it for the next one.</summary>
        public bool TryTake(TKey key, out TValue value)
        {
            if (!_last.TryGetValue(key, out value!))
            {
                return false;
            }

            _next[key] = value;
            return true;
        }

        public void Keep(TKey key, TValue value) => _next[key] = value;

        public int NextCount => _next.Count;

        public void End()
        {
            _last = _next;
            _next = new Dictionary<TKey, TValue>(comparer);
        }
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

/// <summary>What one HTTPRoute's attachment produced (for the compiled rules it was evaluated with).</summary>
internal sealed record AttachmentMemo(
    IReadOnlyList<CompiledRule> Rules,
    IReadOnlyList<RouteParentResult> Parents,
    IReadOnlyList<ListenerAttachment> Attachments,
    IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>One listener an HTTPRoute attaches to (by its Gateway's id and its index there), with the hostnames it serves on it.</summary>
internal readonly record struct ListenerAttachment(string Gateway, int Listener, IReadOnlyList<string> Hostnames);

/// <summary>Everything attachment reads besides the route itself; lists compare by instance.</summary>
internal sealed record AttachmentInputs(
    ImmutableArray<Gateway> Gateways,
    ImmutableArray<GatewayClass> GatewayClasses,
    ImmutableArray<k8s.Models.V1Namespace> Namespaces,
    ImmutableArray<k8s.Models.V1Secret> Secrets,
    ImmutableArray<k8s.Models.V1ConfigMap> ConfigMaps,
    ImmutableArray<ReferenceGrant> ReferenceGrants,
    ImmutableArray<BackendTlsPolicy> BackendTlsPolicies,
    string ControllerName,
    int PortOffset);
