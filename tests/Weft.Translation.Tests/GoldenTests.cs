using System.Text.Json.Nodes;
using k8s;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.Ir;

namespace Weft.Translation.Tests;

/// <summary>
/// Golden tests: every testdata/&lt;case&gt;.in.yaml is decoded strictly, translated, and the
/// result (IR per Gateway, status per resource, diagnostics) compared with &lt;case&gt;.out.yaml.
/// Regenerate with WEFT_UPDATE_GOLDEN=1 and review the diff: the golden files are the spec.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Dir, "*.in.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".in.yaml".Length]);
        }

        return data;
    }

    public static readonly TranslatorOptions Options = new()
    {
        PortOffset = 8000,
        GatewayAddresses = new Dictionary<string, string> { ["infrastructure/prod-gateway"] = "127.0.0.2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden(string name)
    {
        var input = Path.Combine(TestData.Dir, name + ".in.yaml");
        var output = Path.Combine(TestData.Dir, name + ".out.yaml");
        var decoded = YamlCodec.Decode(File.ReadAllText(input), name + ".in.yaml");
        Assert.False(decoded.HasErrors, "the input does not decode:\n" + string.Join("\n", decoded.Diagnostics));

        var snapshot = ResourceSnapshot.From(decoded.Resources.Select(r => r.Object));
        var result = Translator.Translate(snapshot, Options);

        // The IR handed to proxies must pass the proxies' own validation.
        foreach (var (id, ir) in result.Gateways)
        {
            Assert.Empty(ir.Validate().Select(e => $"{id}: {e}"));
        }

        // Determinism: a second run gives the same text.
        var actual = Render(result);
        Assert.Equal(actual, Render(Translator.Translate(snapshot, Options)));

        // The control plane's cache: a first translation fills it, a second one reuses every
        // HTTPRoute's compilation, and neither may differ from the uncached result.
        var cache = new TranslationCache();
        Assert.Equal(actual, Render(Translator.Translate(snapshot, Options with { Cache = cache })));
        Assert.Equal(actual, Render(Translator.Translate(snapshot, Options with { Cache = cache })));
        Assert.Equal((snapshot.HttpRoutes.Length, 0), cache.LastRouteCounts);

        if (Environment.GetEnvironmentVariable("WEFT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(output, actual);
            return;
        }

        Assert.True(File.Exists(output), $"{name}.out.yaml is missing; run WEFT_UPDATE_GOLDEN=1 dotnet test tests/Weft.Translation.Tests and review it");
        Assert.Equal(File.ReadAllText(output), actual);
    }

    [Fact]
    public void EveryOutputHasAnInput()
    {
        var orphans = Directory.EnumerateFiles(TestData.Dir, "*.out.yaml")
            .Where(f => !File.Exists(f[..^".out.yaml".Length] + ".in.yaml"))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(orphans);
    }

    [Fact]
    public void ThereAreCases() => Assert.NotEmpty(Cases());

    /// <summary>The golden document: gateways (IR via IrJson), status (without lastTransitionTime), diagnostics.</summary>
    internal static string Render(TranslationResult result)
    {
        var gateways = new JsonObject();
        foreach (var (id, ir) in result.Gateways)
        {
            gateways[id] = JsonNode.Parse(IrJson.SerializeIndented(ir));
        }

        var status = new JsonObject();
        foreach (var update in result.Statuses)
        {
            var node = JsonNode.Parse(KubernetesJson.Serialize(update.Status))!;
            StripTimes(node);
            status[update.Key.ToString()] = node;
        }

        var diagnostics = new JsonArray();
        foreach (var d in result.Diagnostics)
        {
            diagnostics.Add(JsonValue.Create(d.ToString()));
        }

        // A Dictionary (not a JsonObject, which ToYaml would take for a sequence of documents).
        var doc = new Dictionary<string, JsonNode>
        {
            ["gateways"] = gateways,
            ["status"] = status,
            ["diagnostics"] = diagnostics,
        };
        return YamlCodec.ToYaml(doc);
    }

    private static void StripTimes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("lastTransitionTime");
                foreach (var (_, child) in obj)
                {
                    StripTimes(child);
                }

                break;
            case JsonArray arr:
                foreach (var child in arr)
                {
                    StripTimes(child);
                }

                break;
        }
    }
}

internal static class TestData
{
    /// <summary>The repository root: the first folder above the test binaries that holds Weft.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Dir { get; } = Path.Combine(Root, "tests", "Weft.Translation.Tests", "testdata");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }
}
