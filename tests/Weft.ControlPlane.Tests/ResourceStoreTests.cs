using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Store;

namespace Weft.ControlPlane.Tests;

public sealed class ResourceStoreTests
{
    private static IReadOnlyList<DecodedResource> Decode(string yaml)
    {
        var result = YamlCodec.Decode(yaml, "test.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Resources;
    }

    private static string Route(string backend, string? label = null) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: apps
          labels:
            tier: "{label ?? "a"}"
        spec:
          rules:
          - backendRefs:
            - name: {backend}
              port: 80
        """;

    [Fact]
    public void Store_fills_in_what_an_api_server_would_and_bumps_generation_only_on_spec_changes()
    {
        var time = new ManualTime();
        var store = new ResourceStore(time);
        store.ReplaceSource("files", Decode(Route("a")));
        var first = store.Snapshot.HttpRoutes.Single();
        Assert.Equal(1, first.Metadata.Generation);
        Assert.Equal(time.GetUtcNow().UtcDateTime, first.Metadata.CreationTimestamp);
        Assert.False(string.IsNullOrEmpty(first.Metadata.Uid));
        var created = first.Metadata.CreationTimestamp;

        time.Advance(TimeSpan.FromMinutes(5));
        store.ReplaceSource("files", Decode(Route("a", label: "b")));
        var relabelled = store.Snapshot.HttpRoutes.Single();
        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.Equal(first.Metadata.Uid, relabelled.Metadata.Uid);

        store.ReplaceSource("files", Decode(Route("b", label: "b")));
        var changed = store.Snapshot.HttpRoutes.Single();
        Assert.Equal(2, changed.Metadata.Generation);
        Assert.Equal(created, changed.Metadata.CreationTimestamp);
        Assert.Equal("b", changed.Spec.Rules![0].BackendRefs![0].Name);
    }

    [Fact]
    public void Rereading_identical_content_changes_nothing()
    {
        var store = new ResourceStore(new ManualTime());
        var changes = 0;
        store.Changed += _ => changes++;
        store.ReplaceSource("files", Decode(Route("a")));
        var version = store.Snapshot.Version;
        store.ReplaceSource("files", Decode(Route("a")));
        Assert.Equal(version, store.Snapshot.Version);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Api_objects_override_files_and_deletes_mask_them()
    {
        var store = new ResourceStore(new ManualTime());
        store.ReplaceSource("files", Decode(Route("from-file")));
        var outcome = store.Apply(Decode(Route("from-api")));
        Assert.Equal("configured", outcome.Single().Outcome);
        Assert.Equal("from-api", store.Snapshot.HttpRoutes.Single().Spec.Rules![0].BackendRefs![0].Name);
        Assert.Equal(ResourceStore.ApiOrigin, store.View.Values.Single().Origin);

        Assert.Equal("unchanged", store.Apply(Decode(Route("from-api"))).Single().Outcome);

        var deleted = store.Delete([new ResourceKey(GatewayApiGroup.Name, "HTTPRoute", "apps", "web")]);
        Assert.True(deleted.Single().Deleted);
        Assert.Empty(store.Snapshot.HttpRoutes);

        // The file still has it; the delete holds until the object is applied again.
        store.ReplaceSource("files", Decode(Route("from-file")));
        Assert.Empty(store.Snapshot.HttpRoutes);
        Assert.Equal("created", store.Apply(Decode(Route("again"))).Single().Outcome);
        Assert.Single(store.Snapshot.HttpRoutes);
    }

    [Fact]
    public void Namespaced_objects_without_a_namespace_land_in_default()
    {
        var store = new ResourceStore(new ManualTime());
        store.ReplaceSource("files", Decode("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
              - port: 80
            """));
        Assert.Equal("default", store.Snapshot.Services.Single().Metadata.NamespaceProperty);
        Assert.Equal("default", store.View.Keys.Single().Namespace);
    }

    [Fact]
    public void A_change_rebuilds_only_its_kind_and_the_view_follows_adds_and_removals()
    {
        var store = new ResourceStore(new ManualTime());
        var service = """
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: apps}
            spec:
              ports: [{port: 80}]
            """;
        var files = Decode(service + "\n---\n" + Route("a")).ToList();
        store.ReplaceSource("files", files);
        var before = store.Snapshot;

        // A second route appears: the Services list is the same instance, the routes list is new.
        files.AddRange(Decode(Route("b").Replace("name: web", "name: api", StringComparison.Ordinal)));
        store.ReplaceSource("files", files);
        var after = store.Snapshot;
        Assert.True(after.Services == before.Services, "the Services list was rebuilt although no Service changed");
        Assert.Equal(["api", "web"], after.HttpRoutes.Select(r => r.Metadata.Name));
        Assert.Same(before.HttpRoutes.Single(), after.HttpRoutes.Single(r => r.Metadata.Name == "web"));
        Assert.Contains(store.View.Keys, k => k.Name == "api");

        // The Service goes away: its kind is rebuilt (empty), the view forgets it.
        files.RemoveAt(0);
        store.ReplaceSource("files", files);
        Assert.Empty(store.Snapshot.Services);
        Assert.True(store.Snapshot.HttpRoutes == after.HttpRoutes, "the routes list was rebuilt although no route changed");
        Assert.DoesNotContain(store.View.Keys, k => k.Kind == "Service");
        Assert.Equal(2, store.View.Count);
    }
}
