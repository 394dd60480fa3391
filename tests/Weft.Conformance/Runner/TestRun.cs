using System.Text;
using System.Text.Json.Nodes;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Runner;

/// <summary>The state of one running conformance test.</summary>
internal sealed class TestRun(Session session, ConformanceTestDef test, CancellationToken ct)
{
    private readonly StringBuilder _log = new();

    public Session Session { get; } = session;

    public ConformanceTestDef Test { get; } = test;

    public CancellationToken Ct { get; } = ct;

    /// <summary>Every object applied for the test (deleted at cleanup), in order.</summary>
    public List<JsonObject> Applied { get; } = [];

    /// <summary>Generations read before the current phase's actions, by "Kind/ns/name".</summary>
    public Dictionary<string, long?> GenerationsBefore { get; } = [];

    /// <summary>Every failed assertion, in order; the first one is what the report shows.</summary>
    public List<ConformanceFailure> Failures { get; } = [];

    /// <summary>Set after the first failure: remaining traffic cases get a short deadline (the config has converged by then).</summary>
    public bool Degraded => Failures.Count > 0;

    public string Log => _log.ToString();

    public void Note(string line)
    {
        lock (_log)
        {
            _log.Append('[').Append(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append("] ").AppendLine(line);
        }
    }

    /// <summary>The object as applied at the start of the test (the "original" the removeWhere action refers to).</summary>
    public JsonObject? Original(string kind, string? ns, string name) =>
        Applied.LastOrDefault(d => d.Str("kind") == kind && d.Name() == name && (Kinds.IsClusterScoped(kind) || (d.Namespace() ?? "default") == (ns ?? "default")));

    /// <summary>
    /// The object as the test's manifests applied it, before any patch: what "original" means in
    /// removeWhere's valueEqualsOriginalIndex and GatewayStaticAddressesFinal (expectations.json notes).
    /// </summary>
    public JsonObject? AppliedAtStart(string kind, string? ns, string name) =>
        Applied.FirstOrDefault(d => d.Str("kind") == kind && d.Name() == name && (Kinds.IsClusterScoped(kind) || (d.Namespace() ?? "default") == (ns ?? "default")));

    public static string Key(string kind, string? ns, string name) => $"{kind}/{ns}/{name}";
}
