using System.Text.Json.Nodes;
using Weft.Conformance.Harness;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Runner;

/// <summary>
/// One conformance run: `weft up`, the echo backends, the generated TLS material and the base
/// manifests (FORMAT.md 2.1), shared by every test. Created once per xunit collection.
/// </summary>
internal sealed class Session : IAsyncDisposable
{
    public const string ControllerName = "weft.dev/gateway-controller";

    private Session(SuiteData suite, WeftUnderTest weft, Backends backends, string gatewayBlock)
    {
        Suite = suite;
        Weft = weft;
        Backends = backends;
        UsableAddresses = [$"{gatewayBlock}.250"];
        UnusableAddresses = ["198.51.100.1"];
    }

    public SuiteData Suite { get; }

    public WeftUnderTest Weft { get; }

    public Backends Backends { get; }

    public SuiteTimeouts Timeouts => Suite.Timeouts;

    /// <summary>spec.controllerName of the GatewayClass under test, read at setup ($CONTROLLER_NAME).</summary>
    public string Controller { get; private set; } = ControllerName;

    /// <summary>status.supportedFeatures of the GatewayClass under test.</summary>
    public IReadOnlySet<string> SupportedFeatures { get; private set; } = new HashSet<string>();

    public Dictionary<string, GeneratedCertificate> Certificates { get; private set; } = [];

    /// <summary>Address pools for GatewayStaticAddresses (the applier's PLACEHOLDER_*_ADDRS).</summary>
    public IReadOnlyList<string> UsableAddresses { get; }

    public IReadOnlyList<string> UnusableAddresses { get; }

    /// <summary>What setup could not do (objects Weft refused, Deployments not played), for the report.</summary>
    public List<string> SetupNotes { get; } = [];

    public string? SetupFailure { get; private set; }

    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public static async Task<Session> StartAsync(CancellationToken ct)
    {
        var suite = SuiteData.Instance;
        // A block of loopback addresses per run: gateways on 127.200.K.x, "Pods" on 127.201.K.x.
        var k = (Environment.ProcessId % 250) + 1;
        var gatewayBlock = $"127.200.{k}";
        var weft = await WeftUnderTest.StartAsync($"{gatewayBlock}.1", portOffset: 10000, ct);
        var session = new Session(suite, weft, new Backends($"127.201.{k}"), gatewayBlock);
        try
        {
            await session.SetupAsync(ct);
        }
        catch (Exception e) when (e is ConformanceFailure or InvalidOperationException or HttpRequestException)
        {
            // Every test then fails with this message instead of a fixture crash.
            session.SetupFailure = e.Message;
        }

        return session;
    }

    private async Task SetupAsync(CancellationToken ct)
    {
        // The GatewayClass under test, then wait until it is accepted (GWCMustBeAccepted).
        var gatewayClass = new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "GatewayClass",
            ["metadata"] = new JsonObject { ["name"] = Suite.GatewayClassName },
            ["spec"] = new JsonObject { ["controllerName"] = ControllerName },
        };
        var applied = await Weft.ApplyAsync([gatewayClass], "<gatewayclass>", ct);
        if (!applied.Ok)
        {
            throw new ConformanceFailure(FailureStage.Apply, "GatewayClass gateway-conformance was refused: " + applied.Describe());
        }

        var gwc = await Poll.UntilAsync(Timeouts["GWCMustBeAccepted"], async () =>
        {
            var obj = await Weft.GetAsync("gatewayclasses", null, Suite.GatewayClassName, ct);
            if (obj is null)
            {
                return (false, "GatewayClass not found", null);
            }

            var conditions = Status.Conditions(obj["status"]);
            var stale = conditions.Where(c => c.ObservedGeneration != obj.Generation()).ToList();
            if (stale.Count > 0)
            {
                return (false, "stale conditions: " + string.Join(", ", stale), obj);
            }

            return conditions.Any(c => c.Type == "Accepted" && c.Status == "True")
                ? (true, "", obj)
                : (false, "no Accepted=True condition: " + string.Join(", ", conditions), obj);
        }, "GatewayClass gateway-conformance must be Accepted", FailureStage.Status, ct);
        Controller = gwc!["spec"].Str("controllerName") ?? ControllerName;
        SupportedFeatures = new HashSet<string>(
            gwc["status"].Arr("supportedFeatures").Select(f => f is JsonObject o ? o.Str("name") ?? "" : f?.ToString() ?? "").Where(f => f.Length > 0),
            StringComparer.Ordinal);

        // TLS material first: the tls-backend Deployments serve it.
        var (tlsObjects, certificates) = TlsMaterial.Generate(Suite.RuntimeResources);
        Certificates = certificates;

        // Base manifests: Deployments become echo backends + WorkloadEntries, the rest goes to Weft.
        var docs = YamlJson.LoadFile(SuitePaths.Resolve(Suite.BaseManifests)).Select(Transform).ToList();
        var toApply = new List<JsonObject>();
        foreach (var doc in docs)
        {
            if (Backends.IsDeployment(doc))
            {
                toApply.AddRange(await Backends.StartDeploymentAsync(doc, Certificates, ct));
            }
            else
            {
                toApply.Add(doc);
            }
        }

        SetupNotes.AddRange(Backends.NotStarted.Select(n => "backend not started: " + n));
        var (_, rejected) = await ApplyEachAsync(toApply, Suite.BaseManifests, ct);
        SetupNotes.AddRange(rejected.Select(r => $"{Suite.BaseManifests}: Weft refused {Describe(r.Doc)}: {r.Reason}"));
        var (_, rejectedTls) = await ApplyEachAsync(tlsObjects, "<runtimeResources>", ct);
        SetupNotes.AddRange(rejectedTls.Select(r => $"runtimeResources: Weft refused {Describe(r.Doc)}: {r.Reason}"));

        await StatusChecks.NamespacesReadyAsync(this, ["gateway-conformance-infra", "gateway-conformance-app-backend", "gateway-conformance-web-backend"], ct);
    }

    /// <summary>The Go applier's transformations (FORMAT.md 2.3).</summary>
    public JsonObject Transform(JsonObject doc)
    {
        var kind = doc.Str("kind");
        if (kind == "Gateway" && doc["spec"] is JsonObject spec)
        {
            spec["gatewayClassName"] = Suite.GatewayClassName;
            if (spec["addresses"] is JsonArray { Count: > 0 } addresses)
            {
                var rebuilt = new JsonArray();
                foreach (var a in addresses.OfType<JsonObject>().Where(a => a.Str("type") == "test/fake-invalid-type"))
                {
                    rebuilt.Add(a.DeepClone());
                }

                if (addresses.OfType<JsonObject>().Any(a => a.Str("value") == "PLACEHOLDER_UNUSABLE_ADDRS"))
                {
                    foreach (var u in UnusableAddresses)
                    {
                        rebuilt.Add(new JsonObject { ["type"] = "IPAddress", ["value"] = u });
                    }
                }

                if (addresses.OfType<JsonObject>().Any(a => a.Str("value") == "PLACEHOLDER_USABLE_ADDRS"))
                {
                    foreach (var u in UsableAddresses)
                    {
                        rebuilt.Add(new JsonObject { ["type"] = "IPAddress", ["value"] = u });
                    }
                }

                spec["addresses"] = rebuilt;
            }
        }
        else if (kind == "GatewayClass" && doc["spec"] is JsonObject gcSpec)
        {
            gcSpec["controllerName"] = Controller;
        }

        return doc;
    }

    /// <summary>
    /// Applies documents as one batch; when Weft refuses the batch (it applies nothing then), applies
    /// them one by one to find out which ones it refuses and why.
    /// </summary>
    public async Task<(List<JsonObject> Applied, List<(JsonObject Doc, string Reason)> Rejected)> ApplyEachAsync(List<JsonObject> docs, string file, CancellationToken ct)
    {
        if (docs.Count == 0)
        {
            return ([], []);
        }

        var all = await Weft.ApplyAsync(docs, file, ct);
        // Weft answers 200 with no result for a kind it does not read (its warning is not in the
        // response), so a result count short of the document count also means "find out which".
        if (all.Ok && all.Results.Count == docs.Count)
        {
            return (docs, []);
        }

        var applied = new List<JsonObject>();
        var rejected = new List<(JsonObject, string)>();
        foreach (var doc in docs)
        {
            var one = await Weft.ApplyAsync([doc], file, ct);
            if (one.Ok && one.Results.Count > 0)
            {
                applied.Add(doc);
            }
            else
            {
                rejected.Add((doc, one.Ok ? "ignored: HTTP 200 with no result and no diagnostic (a kind Weft does not read)" : one.Describe()));
            }
        }

        return (applied, rejected);
    }

    public static string Describe(JsonNode doc) =>
        doc.Namespace() is { } ns ? $"{doc.Str("kind")} {ns}/{doc.Name()}" : $"{doc.Str("kind")} {doc.Name()}";

    public async ValueTask DisposeAsync()
    {
        await Weft.DisposeAsync();
        await Backends.DisposeAsync();
    }
}
