using System.Text.Json.Nodes;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.Ir;

namespace Weft.Translation.Tests;

/// <summary>
/// Golden tests of the mesh: testdata/mesh/&lt;case&gt;.in.yaml → .out.yaml holding the sidecar
/// snapshot per namespace and the status of the routes. Regenerate with WEFT_UPDATE_GOLDEN=1.
/// </summary>
public sealed class MeshGoldenTests
{
    private static string Dir => Path.Combine(TestData.Dir, "mesh");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Dir, "*.in.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".in.yaml".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden(string name)
    {
        var decoded = YamlCodec.Decode(File.ReadAllText(Path.Combine(Dir, name + ".in.yaml")), name + ".in.yaml");
        Assert.False(decoded.HasErrors, string.Join("\n", decoded.Diagnostics));
        var result = Translator.Translate(ResourceSnapshot.From(decoded.Resources.Select(r => r.Object)), GoldenTests.Options);
        foreach (var (ns, ir) in result.Sidecars)
        {
            Assert.Empty(ir.Validate().Select(e => $"sidecar {ns}: {e}"));
        }

        var sidecars = new JsonObject();
        foreach (var (ns, ir) in result.Sidecars)
        {
            sidecars[ns] = JsonNode.Parse(IrJson.SerializeIndented(ir));
        }

        var routes = new TranslationResult { Statuses = [.. result.Statuses.Where(s => s.Key.Kind == "HTTPRoute")], Diagnostics = result.Diagnostics };
        var actual = YamlCodec.ToYaml(new Dictionary<string, JsonNode> { ["sidecars"] = sidecars })
            + GoldenTests.Render(routes);
        var output = Path.Combine(Dir, name + ".out.yaml");
        if (Environment.GetEnvironmentVariable("WEFT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(output, actual);
            return;
        }

        Assert.True(File.Exists(output), $"mesh/{name}.out.yaml is missing; run WEFT_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(output), actual);
    }

    [Fact]
    public void EveryOutputHasAnInput() =>
        Assert.DoesNotContain(Directory.EnumerateFiles(Dir, "*.out.yaml"), f => !File.Exists(f[..^".out.yaml".Length] + ".in.yaml"));
}
