using Weft.Api.Yaml;
using YamlDotNet.RepresentationModel;

namespace Weft.Bookinfo.Tests;

/// <summary>The Kubernetes and Gateway API manifests under samples/bookinfo decode, and agree with each other.</summary>
public sealed class ManifestTests
{
    private static readonly string Kube = Repository.Path("samples", "bookinfo", "platform", "kube");
    private static readonly string GatewayApi = Repository.Path("samples", "bookinfo", "gateway-api");

    private static string[] GatewayApiFileNames() =>
        [.. Directory.GetFiles(Repository.Path("samples", "bookinfo", "gateway-api"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> GatewayApiFiles() => [.. GatewayApiFileNames()];

    [Fact]
    public void The_expected_route_files_exist()
    {
        string[] expected =
        [
            "bookinfo-gateway.yaml", "route-all-v1.yaml", "route-jason-v2.yaml", "route-reviews-50-v3.yaml",
            "route-reviews-90-10.yaml", "route-reviews-v1.yaml", "route-reviews-v3.yaml",
        ];
        Assert.Equal(expected, GatewayApiFileNames());
    }

    [Fact]
    public void Platform_manifests_decode_with_only_unread_kinds_reported()
    {
        var result = YamlCodec.DecodePaths([Kube]);
        // Weft reads Services; Deployments and ServiceAccounts are for Kubernetes only: WEFT0002 (a kind Weft does
        // not read) or WEFT0010 (a Kubernetes kind Weft skips), and nothing else.
        Assert.All(result.Diagnostics, d => Assert.True(
            d.Code is "WEFT0002" or "WEFT0010" && (d.Message.Contains("Deployment", StringComparison.Ordinal) || d.Message.Contains("ServiceAccount", StringComparison.Ordinal)),
            d.ToString()));
        Assert.Equal(10, result.Diagnostics.Count); // 6 Deployments + 4 ServiceAccounts

        var services = result.Resources.Where(r => r.Kind.Kind == "Service").Select(r => r.Object.Metadata.Name).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["details", "details-v1", "productpage", "productpage-v1", "ratings", "ratings-v1", "reviews", "reviews-v1", "reviews-v2", "reviews-v3"],
            services);
    }

    [Theory]
    [MemberData(nameof(GatewayApiFiles))]
    public void Each_route_file_decodes_cleanly_and_names_known_services(string file)
    {
        var result = YamlCodec.DecodePaths([Path.Combine(GatewayApi, file)]);
        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.Resources);

        var services = YamlCodec.DecodePaths([Kube]).Resources.Where(r => r.Kind.Kind == "Service").Select(r => r.Object.Metadata.Name).ToHashSet();
        var text = File.ReadAllText(Path.Combine(GatewayApi, file));
        foreach (var document in Documents(text))
        {
            var kind = Scalar(document, "kind");
            if (kind == "Gateway")
            {
                Assert.Equal("weft", Scalar(document, "spec", "gatewayClassName"));
                continue;
            }

            Assert.Equal("HTTPRoute", kind);
            var spec = (YamlMappingNode)document["spec"];
            foreach (var parent in ((YamlSequenceNode)spec["parentRefs"]).Cast<YamlMappingNode>())
            {
                if (Scalar(parent, "kind") is { } parentKind)
                {
                    // The mesh (GAMMA) form.
                    Assert.Equal("Service", parentKind);
                    Assert.Equal("", Scalar(parent, "group"));
                    Assert.Contains(Scalar(parent, "name") ?? "", services);
                }
            }

            foreach (var rule in ((YamlSequenceNode)spec["rules"]).Cast<YamlMappingNode>())
            {
                foreach (var backend in ((YamlSequenceNode)rule["backendRefs"]).Cast<YamlMappingNode>())
                {
                    Assert.Contains(Scalar(backend, "name") ?? "", services);
                    Assert.Equal("9080", Scalar(backend, "port"));
                }
            }
        }
    }

    [Fact]
    public void Jason_route_sends_end_user_jason_to_v2_and_the_rest_to_v1()
    {
        var route = Documents(File.ReadAllText(Path.Combine(GatewayApi, "route-jason-v2.yaml"))).Single();
        var rules = ((YamlSequenceNode)route["spec"]["rules"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal(2, rules.Count);
        var header = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)rules[0]["matches"])[0])["headers"])[0];
        Assert.Equal("end-user", Scalar(header, "name"));
        Assert.Equal("jason", Scalar(header, "value"));
        Assert.Equal("reviews-v2", Scalar((YamlMappingNode)((YamlSequenceNode)rules[0]["backendRefs"])[0], "name"));
        Assert.False(rules[1].Children.ContainsKey("matches"));
        Assert.Equal("reviews-v1", Scalar((YamlMappingNode)((YamlSequenceNode)rules[1]["backendRefs"])[0], "name"));
    }

    [Fact]
    public void Deployments_match_upstreams_names_labels_and_ports_with_our_images()
    {
        var documents = Documents(File.ReadAllText(Path.Combine(Kube, "bookinfo.yaml"))).ToList();
        var deployments = documents.Where(d => Scalar(d, "kind") == "Deployment").ToDictionary(d => Scalar(d, "metadata", "name")!);
        Assert.Equal(
            ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"],
            deployments.Keys.Order(StringComparer.Ordinal));
        var accounts = documents.Where(d => Scalar(d, "kind") == "ServiceAccount").Select(d => Scalar(d, "metadata", "name")).ToHashSet();

        foreach (var (name, deployment) in deployments)
        {
            var app = name[..name.LastIndexOf('-')];
            var version = name[(name.LastIndexOf('-') + 1)..];
            Assert.Equal(app, Scalar(deployment, "spec", "template", "metadata", "labels", "app"));
            Assert.Equal(version, Scalar(deployment, "spec", "template", "metadata", "labels", "version"));
            Assert.Equal(app, Scalar(deployment, "spec", "selector", "matchLabels", "app"));
            Assert.Equal(version, Scalar(deployment, "spec", "selector", "matchLabels", "version"));
            var serviceAccount = Scalar(deployment, "spec", "template", "spec", "serviceAccountName");
            Assert.Equal($"bookinfo-{app}", serviceAccount);
            Assert.Contains(serviceAccount, accounts);

            var container = (YamlMappingNode)((YamlSequenceNode)deployment["spec"]["template"]["spec"]["containers"])[0];
            Assert.Equal($"ghcr.io/weft-dev/bookinfo-{app}:0.1.0", Scalar(container, "image"));
            Assert.Equal("9080", Scalar((YamlMappingNode)((YamlSequenceNode)container["ports"])[0], "containerPort"));

            if (app == "reviews")
            {
                var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name")!, e => Scalar(e, "value"));
                Assert.Equal(version, env["SERVICE_VERSION"]);
                Assert.Equal(version == "v1" ? "false" : "true", env["ENABLE_RATINGS"]);
                if (version != "v1")
                {
                    Assert.Equal(version == "v3" ? "red" : "black", env["STAR_COLOR"]);
                }
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>();
    }

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }
}
