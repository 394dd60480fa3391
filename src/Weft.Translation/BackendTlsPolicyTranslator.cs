using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Ir;

namespace Weft.Translation;

/// <summary>
/// BackendTLSPolicies (GEP-1897, v1): each policy's targets (Services, or one Service port by
/// name), its verdict (CA references, hostname, SANs), conflict resolution, and — once the
/// Gateways' IR is built — its ancestors (the Gateways whose routes use a targeted Service).
/// <para>
/// Conflicts (GEP-713): policies with the same target (Service and sectionName) conflict; the
/// oldest wins, then the first by namespace/name; the others are Accepted=False/Conflicted. A
/// policy naming the port (sectionName) is more specific than one naming the whole Service and
/// wins for that port without a conflict.
/// </para>
/// </summary>
internal sealed class BackendTlsPolicies
{
    private const string ConfigMapCaKey = "ca.crt";
    private const string SystemTrust = "System";

    private readonly List<PolicyState> _policies = [];

    // "ns/service" → winners: by port name ("" = the policy without a sectionName).
    private readonly Dictionary<string, Dictionary<string, PolicyState>> _winners = new(StringComparer.Ordinal);

    // Cluster name → the Service port it was built for (filled as clusters are built).
    private readonly Dictionary<string, (string Service, string? PortName)> _serviceClusters = new(StringComparer.Ordinal);

    private BackendTlsPolicies()
    {
    }

    public static BackendTlsPolicies Resolve(TranslationContext context)
    {
        var result = new BackendTlsPolicies();
        var configMaps = context.Snapshot.ConfigMaps.ToDictionary(c => TranslationContext.Id(c.Metadata), StringComparer.Ordinal);
        foreach (var policy in context.Snapshot.BackendTlsPolicies)
        {
            result._policies.Add(Evaluate(context, policy, configMaps));
        }

        // Oldest first, then namespace/name: the first policy seen for a target wins it.
        foreach (var state in result._policies.OrderBy(p => p.Policy.Metadata.CreationTimestamp ?? DateTime.MaxValue)
                     .ThenBy(p => p.Policy.Metadata.NamespaceProperty, StringComparer.Ordinal)
                     .ThenBy(p => p.Policy.Metadata.Name, StringComparer.Ordinal))
        {
            foreach (var (service, section) in state.Targets)
            {
                if (!result._winners.TryGetValue(service, out var byPort))
                {
                    result._winners[service] = byPort = new Dictionary<string, PolicyState>(StringComparer.Ordinal);
                }

                if (byPort.TryGetValue(section ?? "", out var winner))
                {
                    state.ConflictedWith ??= TranslationContext.Id(winner.Policy.Metadata);
                }
                else
                {
                    byPort[section ?? ""] = state;
                }
            }
        }

        return result;
    }

    /// <summary>The TLS settings for a Service port's cluster, or null for plaintext; remembers the cluster for <see cref="NoteGateway"/>.</summary>
    public UpstreamTlsIr? For(string clusterName, string ns, string service, V1ServicePort port)
    {
        var id = TranslationContext.Id(ns, service);
        _serviceClusters[clusterName] = (id, port.Name);
        if (!_winners.TryGetValue(id, out var byPort))
        {
            return null;
        }

        var winner = !string.IsNullOrEmpty(port.Name) && byPort.TryGetValue(port.Name, out var named) ? named
            : byPort.GetValueOrDefault("");
        return winner?.Tls;
    }

    /// <summary>Records <paramref name="gateway"/> as an ancestor of every policy targeting a Service its clusters use.</summary>
    public void NoteGateway(GatewayState gateway, IEnumerable<ClusterIr> clusters)
    {
        foreach (var cluster in clusters)
        {
            if (!_serviceClusters.TryGetValue(cluster.Name, out var target))
            {
                continue;
            }

            foreach (var policy in _policies)
            {
                if (policy.Targets.Any(t => t.Service == target.Service && (t.Section is null || t.Section == target.PortName)))
                {
                    policy.Ancestors.Add((gateway.Namespace, gateway.Name));
                }
            }
        }
    }

    public IEnumerable<StatusUpdate> Statuses(string controllerName) => _policies.Select(p => p.BuildStatus(controllerName));

    private static PolicyState Evaluate(TranslationContext context, BackendTlsPolicy policy, Dictionary<string, V1ConfigMap> configMaps)
    {
        var ns = policy.Metadata.NamespaceProperty ?? "";
        var id = $"BackendTLSPolicy/{TranslationContext.Id(policy.Metadata)}";
        var state = new PolicyState(policy);
        for (var i = 0; i < policy.Spec.TargetRefs.Count; i++)
        {
            var t = policy.Spec.TargetRefs[i];
            if (t.Group.Length == 0 && t.Kind == "Service")
            {
                state.Targets.Add((TranslationContext.Id(ns, t.Name), string.IsNullOrEmpty(t.SectionName) ? null : t.SectionName));
            }
            else
            {
                context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, $"spec.targetRefs[{i}]",
                    $"target kind {t.Kind}{(t.Group.Length == 0 ? "" : "." + t.Group)} is not supported; Weft applies BackendTLSPolicies to core Services");
            }
        }

        if (policy.Spec.Options is { Count: > 0 })
        {
            context.Diagnostics.Add(TranslationDiagnostics.FieldIgnored, id, "spec.options", "Weft defines no BackendTLSPolicy options");
        }

        var validation = policy.Spec.Validation;
        var trusted = ImmutableArray.CreateBuilder<string>();
        var refs = validation.CaCertificateRefs ?? [];
        foreach (var r in refs)
        {
            if (r.Group.Length != 0 || r.Kind != "ConfigMap")
            {
                state.RefsReason ??= Reasons.InvalidKind;
                state.RefsMessages.Add($"{r.Kind}{(r.Group.Length == 0 ? "" : "." + r.Group)} {r.Name}: only core ConfigMaps are supported as CA certificate references");
            }
            else if (!configMaps.TryGetValue(TranslationContext.Id(ns, r.Name), out var cm))
            {
                state.RefsReason ??= BackendTlsReasons.InvalidCACertificateRef;
                state.RefsMessages.Add($"ConfigMap {ns}/{r.Name} not found");
            }
            else if (cm.Data is null || !cm.Data.TryGetValue(ConfigMapCaKey, out var pem) || !IsCertificatePem(pem))
            {
                state.RefsReason ??= BackendTlsReasons.InvalidCACertificateRef;
                state.RefsMessages.Add($"ConfigMap {ns}/{r.Name} has no PEM certificate under {ConfigMapCaKey}");
            }
            else
            {
                trusted.Add(pem);
            }
        }

        var systemTrust = validation.WellKnownCACertificates == SystemTrust;
        if (validation.WellKnownCACertificates is { } wk && !systemTrust)
        {
            state.Invalid = $"wellKnownCACertificates {wk} is not supported (use System)";
        }
        else if (trusted.Count == 0 && !systemTrust)
        {
            state.NoValidCa = true;
        }

        if (string.IsNullOrEmpty(validation.Hostname))
        {
            state.Invalid ??= "validation.hostname is required";
        }

        var sans = ImmutableArray.CreateBuilder<UpstreamSubjectAltNameIr>();
        foreach (var san in validation.SubjectAltNames ?? [])
        {
            if (san.Type == "Hostname" && !string.IsNullOrEmpty(san.Hostname))
            {
                sans.Add(new UpstreamSubjectAltNameIr { Type = UpstreamSanType.Hostname, Value = san.Hostname.ToLowerInvariant() });
            }
            else if (san.Type == "URI" && !string.IsNullOrEmpty(san.Uri))
            {
                sans.Add(new UpstreamSubjectAltNameIr { Type = UpstreamSanType.Uri, Value = san.Uri });
            }
            else
            {
                state.Invalid ??= $"subjectAltName of type {san.Type} needs its {(san.Type == "URI" ? "uri" : "hostname")}";
            }
        }

        // An invalid policy still applies, with nothing trusted: its Service is never reached in
        // plaintext or through an unverified connection (the spec asks for an error response).
        var usable = state.Invalid is null && !state.NoValidCa;
        state.Tls = new UpstreamTlsIr
        {
            // Without a hostname the policy is invalid and trusts nothing; the reserved .invalid name
            // (RFC 2606) keeps the IR valid without naming anything real.
            Sni = string.IsNullOrEmpty(validation.Hostname) ? "backendtlspolicy.invalid" : validation.Hostname.ToLowerInvariant(),
            TrustedCaPem = usable ? trusted.ToImmutable() : [],
            SystemTrust = usable && systemTrust,
            SubjectAltNames = sans.ToImmutable(),
        };
        return state;
    }

    private static bool IsCertificatePem(string pem)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(pem);
            var any = collection.Count > 0;
            foreach (var c in collection)
            {
                c.Dispose();
            }

            return any;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private sealed class PolicyState(BackendTlsPolicy policy)
    {
        public BackendTlsPolicy Policy { get; } = policy;
        public List<(string Service, string? Section)> Targets { get; } = [];
        public SortedSet<(string Namespace, string Name)> Ancestors { get; } = [];
        public string? ConflictedWith { get; set; }
        public bool NoValidCa { get; set; }
        public string? Invalid { get; set; }
        public string? RefsReason { get; set; }
        public List<string> RefsMessages { get; } = [];
        public UpstreamTlsIr? Tls { get; set; }

        public StatusUpdate BuildStatus(string controllerName)
        {
            var generation = Policy.Metadata.Generation;
            var accepted = ConflictedWith is not null
                ? ConditionFactory(Conditions.Accepted, false, BackendTlsReasons.Conflicted, $"conflicts with BackendTLSPolicy {ConflictedWith}, which is older (or first by name) and applies", generation)
                : Invalid is not null
                ? ConditionFactory(Conditions.Accepted, false, Reasons.Invalid, Invalid, generation)
                : NoValidCa
                ? ConditionFactory(Conditions.Accepted, false, BackendTlsReasons.NoValidCACertificate, "no CA certificate reference resolves: " + string.Join("; ", RefsMessages), generation)
                : ConditionFactory(Conditions.Accepted, true, Reasons.Accepted, "the policy is accepted", generation);
            var resolved = RefsReason is null
                ? ConditionFactory(Conditions.ResolvedRefs, true, Reasons.ResolvedRefs, "all CA certificate references are resolved", generation)
                : ConditionFactory(Conditions.ResolvedRefs, false, RefsReason, string.Join("; ", RefsMessages), generation);
            var status = new PolicyStatus
            {
                Ancestors =
                [
                    .. Ancestors.Select(a => new PolicyAncestorStatus
                    {
                        AncestorRef = new ParentReference { Group = GatewayApiGroup.Name, Kind = Gateway.KindName, Namespace = a.Namespace, Name = a.Name },
                        ControllerName = controllerName,
                        Conditions = [accepted, resolved],
                    }),
                ],
            };
            return new StatusUpdate(new ResourceKey(GatewayApiGroup.Name, BackendTlsPolicy.KindName, Policy.Metadata.NamespaceProperty ?? "", Policy.Metadata.Name), status);
        }

        private static V1Condition ConditionFactory(string type, bool status, string reason, string message, long? generation) =>
            Weft.Translation.Status.ConditionFactory.Create(type, status, reason, message, generation);
    }
}

/// <summary>BackendTLSPolicy's own condition reasons, as the spec spells them.</summary>
internal static class BackendTlsReasons
{
    public const string NoValidCACertificate = "NoValidCACertificate";
    public const string InvalidCACertificateRef = "InvalidCACertificateRef";
    public const string Conflicted = "Conflicted";
}
