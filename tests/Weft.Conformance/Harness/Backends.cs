using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weft.Samples.Echo;

namespace Weft.Conformance.Harness;

/// <summary>One replica of a Deployment: an in-process echo server standing in for a Pod.</summary>
internal sealed record Pod(string Name, string Namespace, string Deployment, IReadOnlyDictionary<string, string> Labels, string Ip, EchoServer Server, RequestLog Log);

/// <summary>
/// The Deployments of the manifests, played by in-process echo servers (samples/Echo, echo-basic's
/// behaviour) and made known to Weft as Istio WorkloadEntries, one per replica.
///
/// Each replica gets a loopback address of its own (its "Pod IP", 127.P.Q.n) and listens on the
/// container's real ports: 3000 (HTTP), 3001 (h2c-only) and 8443 (TLS, when the Deployment mounts a
/// certificate), exactly like echo-basic in a Pod. That is what makes a Service's numeric
/// `targetPort: 3000` reach it: Weft resolves a numeric targetPort as that number on the
/// WorkloadEntry address and never through the WorkloadEntry's `ports` map, so an echo on a dynamic
/// port behind 127.0.0.1 would be unreachable (see docs/conformance/README.md, "Weft gaps").
/// </summary>
internal sealed class Backends : IAsyncDisposable
{
    public const int HttpPort = 3000;
    public const int H2cPort = 3001;
    public const int HttpsPort = 8443;

    private readonly List<Pod> _pods = [];
    private readonly string _ipPrefix;
    private int _nextIp;

    public Backends(string ipPrefix) => _ipPrefix = ipPrefix;

    public IReadOnlyList<Pod> Pods => _pods;

    /// <summary>Deployments that could not be played (no gRPC echo mode, CoreDNS), with why.</summary>
    public List<string> NotStarted { get; } = [];

    public static bool IsDeployment(JsonObject doc) =>
        doc["kind"]?.GetValue<string>() == "Deployment" && (doc["apiVersion"]?.GetValue<string>() ?? "").StartsWith("apps/", StringComparison.Ordinal);

    /// <summary>Starts the replicas of one Deployment; returns the WorkloadEntries to apply.</summary>
    public async Task<List<JsonObject>> StartDeploymentAsync(JsonObject deployment, IReadOnlyDictionary<string, GeneratedCertificate> certificates, CancellationToken ct)
    {
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var ns = deployment["metadata"]!["namespace"]?.GetValue<string>() ?? "default";
        var replicas = deployment["spec"]?["replicas"]?.GetValue<long>() ?? 1;
        var template = deployment["spec"]!["template"]!;
        var labels = (template["metadata"]?["labels"] as JsonObject ?? []).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>());
        var container = template["spec"]!["containers"]![0]!;
        var image = container["image"]?.GetValue<string>() ?? "";
        var env = (container["env"] as JsonArray ?? [])
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.ToString());
        if (!image.Contains("echo-basic", StringComparison.Ordinal))
        {
            NotStarted.Add($"{ns}/{name}: image {image} is not echo-basic (not played locally)");
            return [];
        }

        // echo-basic's gRPC mode: the gRPC echo service over h2c on the HTTP port (FORMAT.md 9.6).
        var grpc = !string.IsNullOrEmpty(env.GetValueOrDefault("GRPC_ECHO_SERVER"));

        EchoHttpsOptions? https = null;
        if (env.ContainsKey("TLS_SERVER_CERT"))
        {
            var secretName = (template["spec"]!["volumes"] as JsonArray ?? [])
                .Select(v => v!["secret"]?["secretName"]?.GetValue<string>())
                .FirstOrDefault(s => s is not null);
            if (secretName is null || !certificates.TryGetValue($"{ns}/{secretName}", out var cert))
            {
                NotStarted.Add($"{ns}/{name}: mounts Secret {secretName}, which the runner did not generate");
                return [];
            }

            https = new EchoHttpsOptions { Port = HttpsPort, Certificate = cert.Certificate };
        }

        var hash = Suffix(ns + "/" + name, 10);
        var entries = new List<JsonObject>();
        for (var i = 0; i < replicas; i++)
        {
            var podName = $"{name}-{hash}-{Suffix($"{ns}/{name}/{i}", 5)}";
            var ip = $"{_ipPrefix}.{++_nextIp}";
            var log = new RequestLog();
            EchoServer server;
            try
            {
                server = await EchoServer.StartAsync(new EchoOptions
                {
                    Address = IPAddress.Parse(ip),
                    Port = HttpPort,
                    H2cPort = grpc ? null : H2cPort,
                    Https = https,
                    Grpc = grpc,
                    Pod = podName,
                    Namespace = ns,
                    RequestLog = log,
                }, ct);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"cannot start the echo for {ns}/{podName} on {ip}:{HttpPort}/{H2cPort}: {e.Message}", e);
            }

            _pods.Add(new Pod(podName, ns, name, labels, ip, server, log));
            var ports = grpc ? new JsonObject { ["http"] = HttpPort } : new JsonObject { ["http"] = HttpPort, ["h2c"] = H2cPort };
            if (https is not null)
            {
                ports["https"] = HttpsPort;
            }

            entries.Add(new JsonObject
            {
                ["apiVersion"] = "networking.istio.io/v1",
                ["kind"] = "WorkloadEntry",
                ["metadata"] = new JsonObject { ["name"] = podName, ["namespace"] = ns, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
                ["spec"] = new JsonObject
                {
                    ["address"] = ip,
                    ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                    ["ports"] = ports,
                },
            });
        }

        return entries;
    }

    /// <summary>Pods of a Deployment (the suite selects them through the Deployment's selector).</summary>
    public IEnumerable<Pod> PodsOf(string ns, string deployment) => _pods.Where(p => p.Namespace == ns && p.Deployment == deployment);

    /// <summary>Pods whose labels include all of <paramref name="selector"/>.</summary>
    public IEnumerable<Pod> Select(string ns, IReadOnlyDictionary<string, string> selector) =>
        _pods.Where(p => p.Namespace == ns && selector.All(s => p.Labels.TryGetValue(s.Key, out var v) && v == s.Value));

    // Kubernetes-like random-looking name parts, deterministic per run input.
    private static string Suffix(string seed, int length)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed + Environment.ProcessId));
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[bytes[i] % alphabet.Length]);
        }

        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            await pod.Server.DisposeAsync();
        }

        _pods.Clear();
    }
}

/// <summary>
/// A Pod's log: echo-basic's per-request line "Echoing back request made to URI to client (ADDR)",
/// with the time it was written, which is what mirror detection reads (FORMAT.md 6.3).
/// </summary>
internal sealed class RequestLog : TextWriter
{
    private readonly ConcurrentQueue<(DateTime At, string Line)> _lines = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        if (value is not null)
        {
            _lines.Enqueue((DateTime.UtcNow, value));
        }
    }

    public override void Write(char value)
    {
        // Only whole lines are written by the echo.
    }

    /// <summary>Lines written at or after <paramref name="since"/>.</summary>
    public IEnumerable<string> Since(DateTime since) => _lines.Where(l => l.At >= since).Select(l => l.Line);
}
