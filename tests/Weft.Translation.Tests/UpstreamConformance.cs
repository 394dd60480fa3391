using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Api.Yaml;

namespace Weft.Translation.Tests;

/// <summary>
/// The upstream Gateway API conformance suite (v1.4.1), read in place from ../shared/gateway-api/conformance
/// (never copied into this repository), and the translator input built from it for one upstream test:
/// <list type="bullet">
/// <item>the test's <c>manifests</c> (expectations.json), <c>{GATEWAY_CLASS_NAME}</c> replaced by <c>gateway-conformance</c>;</item>
/// <item>the Namespaces and Services of base/manifests.yaml, and the base Gateways the test's manifests name;</item>
/// <item>the TLS Secrets and CA ConfigMaps (<c>ca.crt</c>: tools/test-cert.pem) the suite generates at setup (<c>runtimeResources</c>) that those resources name, Secrets holding
/// tools/test-cert.pem and tools/test-key.pem;</item>
/// <item>the GatewayClass <c>gateway-conformance</c> with controllerName <c>weft.dev/gateway-controller</c>.</item>
/// </list>
/// Every text is decoded with the strict codec; documents of kinds Weft does not read (Deployments) are
/// dropped, any other decode error fails the test.
/// </summary>
internal static class UpstreamConformance
{
    public const string GatewayClassName = "gateway-conformance";

    /// <summary>testdata/conformance: one &lt;ShortName&gt;.out.yaml per upstream test translated by <see cref="UpstreamGoldenTests"/>.</summary>
    public static string GoldenDir { get; } = Path.Combine(TestData.Dir, "conformance");

    /// <summary>../shared/gateway-api/conformance, next to the repository root.</summary>
    public static string SuiteDir { get; } = Path.GetFullPath(Path.Combine(TestData.Root, "..", "shared", "gateway-api", "conformance"));

    private static readonly string ToolsDir = Path.Combine(TestData.Root, "tests", "Weft.Translation.Tests", "tools");

    private static readonly Lazy<JsonObject> LazyExpectations = new(() =>
    {
        var path = Path.Combine(SuiteDir, "expectations.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: the upstream conformance suite is read in place from ../shared/gateway-api/conformance");
        }

        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    });

    /// <summary>conformance/expectations.json (FORMAT.md section 3).</summary>
    public static JsonObject Expectations => LazyExpectations.Value;

    /// <summary>The short names of the upstream golden cases: the names of testdata/conformance/*.out.yaml, in ordinal order.</summary>
    public static IReadOnlyList<string> CaseNames() =>
        Directory.Exists(GoldenDir)
            ? [.. Directory.EnumerateFiles(GoldenDir, "*.out.yaml").Select(f => Path.GetFileName(f)[..^".out.yaml".Length]).Order(StringComparer.Ordinal)]
            : [];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaseNames())
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>The test object of expectations.json with this shortName, or null.</summary>
    public static JsonObject? FindTest(string shortName) =>
        Expectations["tests"]!.AsArray().Select(t => t!.AsObject()).FirstOrDefault(t => Str(t["shortName"]) == shortName);

    public static JsonObject Test(string shortName) =>
        FindTest(shortName) ?? throw new InvalidOperationException($"expectations.json has no test with shortName {shortName}");

    /// <summary>The controller name tests compare with (<c>$CONTROLLER_NAME</c> in expectations.json).</summary>
    public static string ControllerName => GoldenTests.Options.ControllerName;

    /// <summary>The translator input for one upstream test, in the order GatewayClass, base, Secrets, the test's own manifests.</summary>
    public static List<IKubernetesObject<V1ObjectMeta>> BuildInput(string shortName)
    {
        var test = Test(shortName);
        if (Str(test["base"]) != "gateway")
        {
            throw new InvalidOperationException($"{shortName}: base `{Str(test["base"])}` is not supported (only the gateway base manifests are)");
        }

        var mine = test["manifests"]!.AsArray().SelectMany(m => DecodeSuiteFile(Str(m)!)).ToList();
        var mineNames = NameValues(mine);

        // All base Namespaces and Services; of the base Gateways only those the test's manifests name.
        var baseFile = Str(Expectations["baseManifests"]?["gateway"]) ?? throw new InvalidOperationException("expectations.json: baseManifests.gateway is missing");
        var baseResources = DecodeSuiteFile(baseFile)
            .Where(o => o is V1Namespace or V1Service || (o is Gateway && Names(mineNames, o.Metadata.Name)))
            .ToList();

        // The generated TLS Secrets the test's manifests or the base resources above name.
        var used = mineNames.Concat(NameValues(baseResources)).ToList();
        var pem = new JsonObject
        {
            ["tls.crt"] = File.ReadAllText(Path.Combine(ToolsDir, "test-cert.pem")),
            ["tls.key"] = File.ReadAllText(Path.Combine(ToolsDir, "test-key.pem")),
        };
        var secrets = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var r in Expectations["runtimeResources"]!.AsArray().Select(r => r!.AsObject()))
        {
            if (Str(r["kind"]) == "ConfigMap" && Names(used, Str(r["name"])!))
            {
                // A CA ConfigMap (BackendTLSPolicy): any parsable certificate stands for the generated CA.
                var configMap = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = new JsonObject { ["name"] = Str(r["name"]), ["namespace"] = Str(r["namespace"]) },
                    ["data"] = new JsonObject { ["ca.crt"] = File.ReadAllText(Path.Combine(ToolsDir, "test-cert.pem")) },
                };
                secrets.AddRange(DecodeText(YamlCodec.ToYaml(configMap), $"runtimeResources ConfigMap/{Str(r["namespace"])}/{Str(r["name"])}"));
                continue;
            }

            if (Str(r["kind"]) != "Secret" || !Names(used, Str(r["name"])!))
            {
                continue;
            }

            var secret = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = Str(r["name"]), ["namespace"] = Str(r["namespace"]) },
                ["type"] = "kubernetes.io/tls",
                ["stringData"] = pem.DeepClone(),
            };
            secrets.AddRange(DecodeText(YamlCodec.ToYaml(secret), $"runtimeResources Secret/{Str(r["namespace"])}/{Str(r["name"])}"));
        }

        var gatewayClass = DecodeText(
            $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata:
              name: {GatewayClassName}
            spec:
              controllerName: {ControllerName}
            """,
            "GatewayClass " + GatewayClassName);

        return [.. gatewayClass, .. baseResources, .. secrets, .. mine];
    }

    /// <summary>Translates the input of one upstream test with the options of <see cref="GoldenTests"/>.</summary>
    public static (ResourceSnapshot Snapshot, TranslationResult Result) Translate(string shortName)
    {
        var snapshot = ResourceSnapshot.From(BuildInput(shortName));
        return (snapshot, Translator.Translate(snapshot, GoldenTests.Options));
    }

    /// <summary>Reads a file of the suite (path relative to conformance/, as expectations.json names it) and decodes it.</summary>
    private static List<IKubernetesObject<V1ObjectMeta>> DecodeSuiteFile(string relative)
    {
        var path = Path.Combine(SuiteDir, relative);
        var text = File.ReadAllText(path).Replace("{GATEWAY_CLASS_NAME}", GatewayClassName, StringComparison.Ordinal);
        return DecodeText(text, relative);
    }

    /// <summary>
    /// Decodes strictly and keeps the decoded resources. WEFT0002 (unknown kind) drops a document of a kind Weft does not
    /// read; it fails for a kind Weft reads in another apiVersion, which would otherwise vanish silently. Any other error fails.
    /// </summary>
    private static List<IKubernetesObject<V1ObjectMeta>> DecodeText(string text, string fileName)
    {
        var decoded = YamlCodec.Decode(text, fileName);
        var errors = decoded.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Where(d => d.Code != DiagnosticCodes.UnknownKind.Code || ResourceKinds.All.Any(k => k.Kind == KindOf(d.Resource)))
            .Select(d => d.ToString())
            .ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{fileName} does not decode:\n" + string.Join("\n", errors));
        }

        return [.. decoded.Resources.Select(r => r.Object)];
    }

    private static string? KindOf(string? resource) => resource?.Split('/')[0];

    /// <summary>
    /// Every string value of a field whose name ends in "name" (name, hostname, ...; case-sensitive) in these resources.
    /// The generator script selected base Gateways and Secrets by searching its YAML dump of the resources for
    /// <c>name: &lt;name&gt;\b</c>; these are the values that search sees.
    /// </summary>
    private static List<string> NameValues(IEnumerable<IKubernetesObject<V1ObjectMeta>> resources)
    {
        var values = new List<string>();
        foreach (var r in resources)
        {
            Collect(JsonNode.Parse(YamlCodec.ToJson(r)), values);
        }

        return values;

        static void Collect(JsonNode? node, List<string> values)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        if (key.EndsWith("name", StringComparison.Ordinal) && Str(child) is { } s)
                        {
                            values.Add(s);
                        }

                        Collect(child, values);
                    }

                    break;
                case JsonArray arr:
                    foreach (var child in arr)
                    {
                        Collect(child, values);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// True when some value "names" <paramref name="name"/> as the script's regex <c>name: &lt;name&gt;\b</c> did: the value
    /// starts with the name followed by the end or a non-word character. So a prefix at a '-' counts: a test naming
    /// <c>same-namespace-with-https-listener</c> also gets the base Gateway <c>same-namespace</c>; the goldens include it.
    /// </summary>
    private static bool Names(IEnumerable<string> values, string name) =>
        values.Any(v => v.StartsWith(name, StringComparison.Ordinal)
            && (v.Length == name.Length || !(char.IsLetterOrDigit(v[name.Length]) || v[name.Length] == '_')));

    /// <summary>The string of a JSON string value, else null.</summary>
    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}
