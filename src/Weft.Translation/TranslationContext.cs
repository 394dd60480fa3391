using System.Collections.Immutable;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;
using Weft.Api.Model;

namespace Weft.Translation;

/// <summary>Read-only indexes over the snapshot, built once per translation, plus the diagnostics sink.</summary>
internal sealed class TranslationContext
{
    public TranslationContext(ResourceSnapshot snapshot, TranslatorOptions options)
    {
        Snapshot = snapshot;
        Options = options;
        GatewayClasses = Index(snapshot.GatewayClasses, c => c.Metadata.Name);
        Gateways = Index(snapshot.Gateways, g => Id(g.Metadata));
        Namespaces = Index(snapshot.Namespaces, n => n.Metadata.Name);
        Services = Index(snapshot.Services, s => Id(s.Metadata));
        Secrets = Index(snapshot.Secrets, s => Id(s.Metadata));
        ServiceEntries = Index(snapshot.ServiceEntries, s => Id(s.Metadata));
        ReferenceGrants = new ReferenceGrants(snapshot.ReferenceGrants);
        BackendTls = BackendTlsPolicies.Resolve(this);
    }

    public ResourceSnapshot Snapshot { get; }
    public TranslatorOptions Options { get; }
    public ImmutableDictionary<string, GatewayClass> GatewayClasses { get; }
    public ImmutableDictionary<string, Gateway> Gateways { get; }
    public ImmutableDictionary<string, V1Namespace> Namespaces { get; }
    public ImmutableDictionary<string, V1Service> Services { get; }
    public ImmutableDictionary<string, V1Secret> Secrets { get; }
    public ImmutableDictionary<string, ServiceEntry> ServiceEntries { get; }
    public ReferenceGrants ReferenceGrants { get; }

    /// <summary>BackendTLSPolicies resolved once: clusters ask it for their TLS, Gateways report as ancestors.</summary>
    public BackendTlsPolicies BackendTls { get; }
    public DiagnosticBag Diagnostics { get; } = new();

    /// <summary>
    /// Clusters (Service or ServiceEntry ports) a GRPCRoute sends to: gRPC is HTTP/2 only, so these
    /// are spoken to over h2c even without <c>appProtocol: kubernetes.io/h2c</c>. Filled by the route pass.
    /// </summary>
    public HashSet<string> GrpcClusters { get; } = new(StringComparer.Ordinal);

    public static string Id(V1ObjectMeta meta) => $"{meta.NamespaceProperty ?? ""}/{meta.Name}";

    public static string Id(string ns, string name) => $"{ns}/{name}";

    /// <summary>
    /// The labels of a namespace: those of its Namespace resource, plus (as Kubernetes guarantees)
    /// <c>kubernetes.io/metadata.name</c>. A namespace with no Namespace resource has only that label.
    /// </summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels(string ns)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Namespaces.TryGetValue(ns, out var n) && n.Metadata.Labels is { } l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v;
            }
        }

        labels["kubernetes.io/metadata.name"] = ns;
        return labels;
    }

    private static ImmutableDictionary<string, T> Index<T>(ImmutableArray<T> items, Func<T, string> key)
    {
        // Duplicates are a decode-time error (WEFT0006); here the first one wins, deterministically.
        var builder = ImmutableDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            builder.TryAdd(key(item), item);
        }

        return builder.ToImmutable();
    }
}

/// <summary>Collects diagnostics; emitted sorted so the result is deterministic.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    public List<Diagnostic> Since(int index) => _items.GetRange(index, _items.Count - index);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Add(DiagnosticCode code, string resource, string? field, string message) =>
        _items.Add(new Diagnostic
        {
            Code = code.Code,
            Severity = code.Severity,
            Resource = resource,
            Field = field,
            Message = message,
        });

    public ImmutableArray<Diagnostic> Sorted() =>
        [.. _items
            .OrderBy(d => d.Resource, StringComparer.Ordinal)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Field, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .Distinct()];
}
