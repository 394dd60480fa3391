using Weft.Api.Model;
using Weft.Api.Yaml;

namespace Weft.Api.Tests;

internal static class TestYaml
{
    public const string FileName = "test.yaml";

    public static DecodeResult Decode(string yaml) => YamlCodec.Decode(yaml, FileName);

    /// <summary>Decodes and asserts exactly one diagnostic, which it returns.</summary>
    public static Diagnostic Single(string yaml)
    {
        var result = Decode(yaml);
        return Assert.Single(result.Diagnostics);
    }

    /// <summary>Decodes and asserts no diagnostic and one resource, which it returns.</summary>
    public static T One<T>(string yaml)
    {
        var result = Decode(yaml);
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        return Assert.IsType<T>(Assert.Single(result.Resources).Object);
    }
}
