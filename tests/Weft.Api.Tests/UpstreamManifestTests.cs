using Weft.Api.Model;
using Weft.Api.Yaml;
using YamlDotNet.RepresentationModel;

namespace Weft.Api.Tests;

/// <summary>
/// The upstream manifests (Gateway API conformance v1.4.1, Istio samples) are read in place: every document of a kind
/// Weft knows decodes with no diagnostic, every other document yields exactly one WEFT0002 (unknown), WEFT0010 (not used) or WEFT0011 (not served yet) at its `kind` line.
/// </summary>
public class UpstreamManifestTests
{
    public static TheoryData<string> ConformanceFiles()
    {
        var root = RepoPaths.Shared("gateway-api", "conformance");
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, f));
        }

        return data;
    }

    /// <summary>Istio sample manifests that hold Gateway API kinds (Bookinfo, helloworld, httpbin, tcp-echo), plus Bookinfo's platform manifests.</summary>
    public static TheoryData<string> IstioSampleFiles()
    {
        var root = RepoPaths.Shared("istio-samples");
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, f);
            if (File.ReadAllText(f).Contains("gateway.networking.k8s.io", StringComparison.Ordinal)
                || rel.StartsWith(Path.Combine("bookinfo", "platform", "kube"), StringComparison.Ordinal))
            {
                data.Add(rel);
            }
        }

        return data;
    }

    [Fact]
    public void The_upstream_files_are_found()
    {
        Assert.True(((IEnumerable<object[]>)ConformanceFiles()).Count() >= 70, "conformance manifests not found next to the repository");
        Assert.Contains(Path.Combine("bookinfo", "gateway-api", "bookinfo-gateway.yaml"), ((IEnumerable<object[]>)IstioSampleFiles()).Select(r => (string)r[0]));
    }

    [Theory]
    [MemberData(nameof(ConformanceFiles))]
    public void Conformance_manifest_decodes_cleanly(string relativePath) =>
        AssertDecodesCleanly(RepoPaths.Shared("gateway-api", "conformance", relativePath));

    [Theory]
    [MemberData(nameof(IstioSampleFiles))]
    public void Istio_sample_decodes_cleanly(string relativePath) =>
        AssertDecodesCleanly(RepoPaths.Shared("istio-samples", relativePath));

    [Fact]
    public void Base_manifests_hold_the_expected_resources()
    {
        var result = YamlCodec.DecodePaths([RepoPaths.Shared("gateway-api", "conformance", "base", "manifests.yaml")]);
        var gateways = result.Resources.Where(r => r.Kind == ResourceKinds.Gateway).Select(r => r.DisplayName).ToList();
        Assert.Contains("Gateway/gateway-conformance-infra/same-namespace", gateways);
        Assert.Contains(result.Resources, r => r.Kind == ResourceKinds.Service && r.DisplayName == "Service/gateway-conformance-infra/infra-backend-v1");
        Assert.All(result.Diagnostics, d => Assert.Contains(d.Code, NotReadCodes));
    }

    [Fact]
    public void Bookinfo_gateway_and_one_route_decode_as_one_set()
    {
        var folder = RepoPaths.Shared("istio-samples", "bookinfo", "gateway-api");
        var result = YamlCodec.DecodePaths([Path.Combine(folder, "bookinfo-gateway.yaml"), Path.Combine(folder, "route-reviews-90-10.yaml")]);
        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.Resources, r => r.DisplayName == "Gateway/bookinfo-gateway");
        Assert.Contains(result.Resources, r => r.DisplayName == "HTTPRoute/bookinfo");
        var reviews = Assert.IsType<Weft.Api.GatewayApi.HttpRoute>(result.Resources.Single(r => r.DisplayName == "HTTPRoute/reviews").Object);
        Assert.Equal([90, 10], reviews.Spec.Rules![0].BackendRefs!.Select(b => b.Weight ?? 1));
    }

    [Fact]
    public void Bookinfo_gateway_api_folder_reports_the_alternative_routes_as_duplicates()
    {
        // The folder holds alternative versions of HTTPRoute/reviews (meant to be applied one at a time).
        var result = YamlCodec.DecodePaths([RepoPaths.Shared("istio-samples", "bookinfo", "gateway-api")]);
        Assert.All(result.Diagnostics, d => Assert.Equal("WEFT0006", d.Code));
        Assert.Equal(4, result.Diagnostics.Count);
        Assert.Single(result.Resources, r => r.DisplayName == "HTTPRoute/reviews");
        Assert.Contains("route-all-v1.yaml", result.Diagnostics[0].Message, StringComparison.Ordinal); // files are read in sorted order
    }

    /// <summary>What a document of a kind Weft does not read gets: unknown, not used, or not served yet.</summary>
    private static readonly string[] NotReadCodes = [DiagnosticCodes.UnknownKind.Code, DiagnosticCodes.KindNotUsed.Code, DiagnosticCodes.KindNotSupportedYet.Code];

    private static void AssertDecodesCleanly(string file)
    {
        var expected = ExpectedDocuments(file);
        var result = YamlCodec.DecodePaths([file]);

        var unexpected = result.Diagnostics.Where(d => !NotReadCodes.Contains(d.Code)).Select(d => d.ToString()).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));

        var unknown = expected.Where(d => !d.Known).ToList();
        Assert.Equal(unknown.Select(d => d.KindLine), result.Diagnostics.Select(d => d.Location!.Line));
        Assert.All(result.Diagnostics, d => Assert.Equal(file, d.Location!.File));
        Assert.Equal(
            expected.Where(d => d.Known).Select(d => $"{d.Kind}/{d.Name}"),
            result.Resources.Select(r => $"{r.Object.Kind}/{r.Object.Metadata.Name}"));
    }

    /// <summary>An independent reading of the file (YamlDotNet's representation model): each document's kind, name and whether Weft knows it.</summary>
    private static List<(string Kind, string? Name, bool Known, int KindLine)> ExpectedDocuments(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        var docs = new List<(string, string?, bool, int)>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode map)
            {
                continue;
            }

            var kindNode = (YamlScalarNode)map["kind"];
            var apiVersion = ((YamlScalarNode)map["apiVersion"]).Value!;
            var name = map.Children.TryGetValue("metadata", out var meta) && ((YamlMappingNode)meta).Children.TryGetValue("name", out var n)
                ? ((YamlScalarNode)n).Value
                : null;
            docs.Add((kindNode.Value!, name, ResourceKinds.Find(apiVersion, kindNode.Value!) is not null, (int)kindNode.Start.Line));
        }

        return docs;
    }
}
