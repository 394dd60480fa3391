using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>A Gateway this controller owns, with its listeners' verdicts and what attached to them.</summary>
internal sealed class GatewayState
{
    public required Gateway Gateway { get; init; }
    public required GatewayClassState Class { get; init; }
    public string BindAddress => Address.BindAddress;
    public required GatewayAddressVerdict Address { get; init; }
    public required IReadOnlyList<ListenerState> Listeners { get; init; }

    public string Id => TranslationContext.Id(Gateway.Metadata);
    public string Namespace => Gateway.Metadata.NamespaceProperty ?? "";
    public string Name => Gateway.Metadata.Name;
    public long? Generation => Gateway.Metadata.Generation;

    /// <summary>The class is accepted, its addresses can be bound and at least one listener can be programmed: the Gateway gets IR.</summary>
    public bool Programmable => Class.Accepted && Address.Usable && Listeners.Any(l => l.Programmable);
}

/// <summary>One listener: its verdict (the four conditions) and the routes attached to it.</summary>
internal sealed class ListenerState
{
    public required Listener Listener { get; init; }
    public required int Index { get; init; }

    /// <summary>The IR protocol, or null when Weft does not serve the listener's protocol.</summary>
    public ListenerProtocol? Protocol { get; init; }
    public List<RouteGroupKind> SupportedKinds { get; } = [];

    public bool Accepted { get; set; } = true;
    public string AcceptedReason { get; set; } = Reasons.Accepted;
    public string AcceptedMessage { get; set; } = "the listener is valid";

    /// <summary>HostnameConflict or ProtocolConflict, or null.</summary>
    public string? ConflictReason { get; set; }
    public string ConflictMessage { get; set; } = "no conflicts";

    public bool RefsResolved { get; set; } = true;
    public string RefsReason { get; set; } = Reasons.ResolvedRefs;
    public List<string> RefsMessages { get; } = [];

    public TlsCertificateIr? Certificate { get; set; }

    /// <summary>Routes attached here, by "namespace/name", with the hostnames they serve on this listener.</summary>
    public SortedDictionary<string, AttachedRoute> Attached { get; } = new(StringComparer.Ordinal);

    public string Name => Listener.Name;
    public string? Hostname => string.IsNullOrEmpty(Listener.Hostname) ? null : Listener.Hostname.ToLowerInvariant();

    /// <summary>The listener admits this route kind (HTTPRoute or GRPCRoute).</summary>
    public bool AllowsKind(string kind)
    {
        foreach (var k in SupportedKinds)
        {
            if (k.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The listener admits a route kind Weft serves.</summary>
    public bool AllowsAnyRoute => SupportedKinds.Count > 0;

    /// <summary>Accepted, not conflicted, has an HTTPS certificate when needed, and serves a route kind (HTTPRoute, GRPCRoute).</summary>
    public bool Programmable =>
        Accepted && ConflictReason is null && Protocol is not null && AllowsAnyRoute
        && (Protocol != ListenerProtocol.Https || Certificate is not null);

    public string NotProgrammedMessage =>
        !Accepted ? "the listener is not accepted: " + AcceptedMessage
        : ConflictReason is not null ? "the listener is conflicted: " + ConflictMessage
        : !AllowsAnyRoute ? "the listener allows no route kind Weft supports"
        : Protocol == ListenerProtocol.Https && Certificate is null ? "the listener has no usable certificate: " + string.Join("; ", RefsMessages)
        : "the listener is programmed";
}

/// <summary>A route attached to a listener and the hostnames (virtual hosts) it serves there.</summary>
internal sealed class AttachedRoute
{
    public required HttpRouteState Route { get; init; }
    public List<string> Hostnames { get; } = [];
}

/// <summary>
/// Pass 2. Gateways of our classes: listener protocol, allowed route kinds, certificates and
/// conflicts (per the spec's "distinct listeners" rules: same port with different protocols →
/// ProtocolConflict; same port, protocol and hostname → HostnameConflict; every conflicted
/// listener is rejected, none wins).
/// </summary>
internal static class GatewayTranslator
{
    public const string DefaultBindAddress = "127.0.0.1";
    private const string TlsSecretType = "kubernetes.io/tls";

    /// <summary>The route kinds an HTTP or HTTPS listener serves.</summary>
    private static readonly string[] ServedRouteKinds = [HttpRoute.KindName, GrpcRoute.KindName];

    public static List<GatewayState> Translate(TranslationContext context, List<GatewayClassState> classes)
    {
        var byName = classes.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var result = new List<GatewayState>();
        foreach (var gateway in context.Snapshot.Gateways)
        {
            var className = gateway.Spec.GatewayClassName;
            var id = TranslationContext.Id(gateway.Metadata);
            if (!byName.TryGetValue(className, out var gc))
            {
                if (!context.GatewayClasses.ContainsKey(className))
                {
                    context.Diagnostics.Add(TranslationDiagnostics.GatewayClassNotFound, $"Gateway/{id}", "spec.gatewayClassName",
                        $"GatewayClass {className} does not exist; no controller serves this Gateway");
                }

                continue; // another controller's Gateway: leave it alone
            }

            ReportIgnoredFields(context, gateway, id);
            var listeners = gateway.Spec.Listeners.Select((l, i) => TranslateListener(context, gateway, l, i)).ToList();
            DetectConflicts(listeners);
            result.Add(new GatewayState
            {
                Gateway = gateway,
                Class = gc,
                Address = GatewayAddresses.Check(gateway, context.Options.GatewayAddresses.TryGetValue(id, out var a) ? a : DefaultBindAddress),
                Listeners = listeners,
            });
        }

        return result;
    }

    private static void ReportIgnoredFields(TranslationContext context, Gateway gateway, string id)
    {
        if (gateway.Spec.Infrastructure is not null)
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, $"Gateway/{id}", "spec.infrastructure",
                "infrastructure labels, annotations and parameters are not applied by Weft");
        }
    }

    private static ListenerState TranslateListener(TranslationContext context, Gateway gateway, Listener listener, int index)
    {
        ListenerProtocol? protocol = listener.Protocol switch
        {
            "HTTP" => ListenerProtocol.Http,
            "HTTPS" => ListenerProtocol.Https,
            _ => null,
        };
        var state = new ListenerState { Listener = listener, Index = index, Protocol = protocol };

        if (protocol is null)
        {
            state.Accepted = false;
            state.AcceptedReason = Reasons.UnsupportedProtocol;
            state.AcceptedMessage = $"protocol {listener.Protocol} is not supported; Weft serves HTTP and HTTPS listeners";
        }

        ResolveRouteKinds(state, listener);
        if (protocol == ListenerProtocol.Https)
        {
            ResolveCertificate(context, gateway, listener, state);
        }
        else if (protocol == ListenerProtocol.Http && listener.Tls is not null)
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, $"Gateway/{TranslationContext.Id(gateway.Metadata)}",
                $"spec.listeners[{index}].tls", "tls is ignored on an HTTP listener");
        }

        return state;
    }

    private static void ResolveRouteKinds(ListenerState state, Listener listener)
    {
        var kinds = listener.AllowedRoutes?.Kinds;
        if (kinds is null || kinds.Count == 0)
        {
            if (state.Protocol is not null)
            {
                // HTTP and HTTPS listeners serve both HTTP kinds (the spec's defaults for these protocols).
                foreach (var kind in ServedRouteKinds)
                {
                    state.SupportedKinds.Add(new RouteGroupKind { Group = GatewayApiGroup.Name, Kind = kind });
                }
            }

            return;
        }

        var invalid = new List<string>();
        foreach (var k in kinds)
        {
            var group = k.Group ?? GatewayApiGroup.Name;
            if (state.Protocol is not null && group == GatewayApiGroup.Name && ServedRouteKinds.Contains(k.Kind, StringComparer.Ordinal))
            {
                if (!state.AllowsKind(k.Kind))
                {
                    state.SupportedKinds.Add(new RouteGroupKind { Group = GatewayApiGroup.Name, Kind = k.Kind });
                }
            }
            else
            {
                invalid.Add(group.Length == 0 ? k.Kind : $"{k.Kind}.{group}");
            }
        }

        if (invalid.Count > 0)
        {
            state.RefsResolved = false;
            state.RefsReason = Reasons.InvalidRouteKinds;
            state.RefsMessages.Add($"route kinds not supported on protocol {state.Listener.Protocol}: {string.Join(", ", invalid)}");
        }
    }

    private static void ResolveCertificate(TranslationContext context, Gateway gateway, Listener listener, ListenerState state)
    {
        var ns = gateway.Metadata.NamespaceProperty ?? "";
        var tls = listener.Tls;
        if (tls?.Mode is { } mode && mode != "Terminate")
        {
            state.Accepted = false;
            state.AcceptedReason = Reasons.UnsupportedValue;
            state.AcceptedMessage = $"TLS mode {mode} is not supported on an HTTPS listener; use Terminate";
            return;
        }

        var refs = tls?.CertificateRefs;
        if (refs is null || refs.Count == 0)
        {
            FailRefs(state, Reasons.InvalidCertificateRef, "an HTTPS listener needs tls.certificateRefs");
            return;
        }

        for (var i = 0; i < refs.Count; i++)
        {
            var r = refs[i];
            var group = r.Group ?? "";
            var kind = r.Kind ?? "Secret";
            var targetNs = string.IsNullOrEmpty(r.Namespace) ? ns : r.Namespace;
            var what = $"certificateRefs[{i}] {kind}{(group.Length == 0 ? "" : "." + group)} {targetNs}/{r.Name}";
            if (group.Length != 0 || kind != "Secret")
            {
                FailRefs(state, Reasons.InvalidCertificateRef, $"{what}: only core Secrets are supported");
                continue;
            }

            if (!context.ReferenceGrants.Allows(GatewayApiGroup.Name, Gateway.KindName, ns, "", "Secret", targetNs, r.Name))
            {
                FailRefs(state, Reasons.RefNotPermitted, $"{what}: no ReferenceGrant in {targetNs} allows Gateways in {ns} to refer to it");
                continue;
            }

            if (!context.Secrets.TryGetValue(TranslationContext.Id(targetNs, r.Name), out var secret))
            {
                FailRefs(state, Reasons.InvalidCertificateRef, $"{what}: the Secret does not exist");
                continue;
            }

            var error = ReadCertificate(secret, out var cert);
            if (error is not null)
            {
                FailRefs(state, Reasons.InvalidCertificateRef, $"{what}: {error}");
                continue;
            }

            state.Certificate ??= cert;
        }
    }

    private static void FailRefs(ListenerState state, string reason, string message)
    {
        if (state.RefsResolved)
        {
            state.RefsResolved = false;
            state.RefsReason = reason;
        }

        state.RefsMessages.Add(message);
    }

    /// <summary>Reads a kubernetes.io/tls Secret; returns an error message, or null and the PEM pair.</summary>
    internal static string? ReadCertificate(V1Secret secret, out TlsCertificateIr? certificate)
    {
        certificate = null;
        if (secret.Type != TlsSecretType)
        {
            return $"the Secret's type is {secret.Type ?? "Opaque"}, not {TlsSecretType}";
        }

        var crt = Value(secret, "tls.crt");
        var key = Value(secret, "tls.key");
        if (string.IsNullOrWhiteSpace(crt) || string.IsNullOrWhiteSpace(key))
        {
            return "the Secret needs non-empty tls.crt and tls.key";
        }

        try
        {
            // Parses only (no I/O): checks the PEM blocks and that the key belongs to the certificate.
            using var parsed = X509Certificate2.CreateFromPem(crt, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The exception text varies by platform; the message stays stable.
            return "tls.crt/tls.key is not a PEM certificate with its matching private key";
        }

        certificate = new TlsCertificateIr { CertificatePem = crt, PrivateKeyPem = key };
        return null;
    }

    private static string? Value(V1Secret secret, string key)
    {
        if (secret.StringData is { } sd && sd.TryGetValue(key, out var s))
        {
            return s;
        }

        if (secret.Data is { } d && d.TryGetValue(key, out var b) && b is not null)
        {
            return Encoding.UTF8.GetString(b);
        }

        return null;
    }

    private static void DetectConflicts(List<ListenerState> listeners)
    {
        // Only listeners with a protocol we serve take part: others are already not accepted.
        foreach (var group in listeners.Where(l => l.Protocol is not null).GroupBy(l => l.Listener.Port))
        {
            var items = group.ToList();
            var protocols = items.Select(l => l.Protocol).Distinct().Count();
            if (protocols > 1)
            {
                foreach (var l in items)
                {
                    var others = items.Where(o => o.Protocol != l.Protocol).Select(o => o.Name);
                    l.ConflictReason = Reasons.ProtocolConflict;
                    l.ConflictMessage = $"port {l.Listener.Port} is also used with another protocol by listener(s) {string.Join(", ", others)}";
                }

                continue;
            }

            foreach (var same in items.GroupBy(l => l.Hostname ?? "", StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                foreach (var l in same)
                {
                    var others = same.Where(o => !ReferenceEquals(o, l)).Select(o => o.Name);
                    l.ConflictReason = Reasons.HostnameConflict;
                    l.ConflictMessage = $"listener(s) {string.Join(", ", others)} use the same port {l.Listener.Port}, protocol and hostname {(l.Hostname ?? "(any)")}";
                }
            }
        }

        foreach (var l in listeners.Where(l => l.ConflictReason is not null && l.Accepted))
        {
            l.Accepted = false;
            l.AcceptedReason = l.ConflictReason!;
            l.AcceptedMessage = l.ConflictMessage;
        }
    }
}
