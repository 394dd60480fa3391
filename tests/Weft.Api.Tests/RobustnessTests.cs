using System.Text;
using Weft.Api.Yaml;

namespace Weft.Api.Tests;

/// <summary>Decode never throws, whatever the input.</summary>
public class RobustnessTests
{
    [Fact]
    public void Mutated_manifests_never_throw()
    {
        var sources = new[] { "base/manifests.yaml", "tests/httproute-matching.yaml", "tests/gateway-with-attached-routes.yaml", "tests/httproute-request-mirror.yaml" }
            .Select(f => File.ReadAllText(RepoPaths.Shared("gateway-api", "conformance", f)))
            .ToList();
        var random = new Random(20240501);
        const string alphabet = " \n\t:-[]{}'\"#&*!|>%@`,?0a.~";
        for (var i = 0; i < 1500; i++)
        {
            var sb = new StringBuilder(sources[i % sources.Count]);
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits && sb.Length > 0; e++)
            {
                var at = random.Next(sb.Length);
                switch (random.Next(3))
                {
                    case 0:
                        sb.Remove(at, Math.Min(random.Next(1, 4), sb.Length - at));
                        break;
                    case 1:
                        sb.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        sb[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }

            var text = sb.ToString();
            var result = YamlCodec.Decode(text, "fuzz.yaml");
            Assert.All(result.Diagnostics, d => Assert.NotNull(d.Location));
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    a: " + new string('[', 5000) + new string(']', 5000) + "\n";
        var d = Assert.Single(YamlCodec.Decode(text, "deep.yaml").Diagnostics);
        Assert.Equal("WEFT0001", d.Code);
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        var sb = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nspec:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (var i = 1; i < 9; i++)
        {
            sb.Append($"  l{i}: &l{i} [" + string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10)) + "]\n");
        }

        var d = Assert.Single(YamlCodec.Decode(sb.ToString(), "bomb.yaml").Diagnostics);
        Assert.Equal("WEFT0001", d.Code);
        Assert.Contains("aliases", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Odd_but_valid_yaml_forms_are_read()
    {
        var result = YamlCodec.Decode("""
            %YAML 1.2
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: a}}
            --- # comment after the marker
            "apiVersion": "v1"
            ? kind
            : Namespace
            metadata:
              name: !!str b
            ...
            """, "odd.yaml");
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.Equal(["Namespace/a", "Namespace/b"], result.Resources.Select(r => r.DisplayName));
    }
}
