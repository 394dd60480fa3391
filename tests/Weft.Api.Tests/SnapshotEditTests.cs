using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;

namespace Weft.Api.Tests;

/// <summary>
/// A store's next snapshot is an edit of its last one; it must hold exactly what building the
/// snapshot from scratch gives, in the same order, and leave untouched kinds' lists as they were.
/// </summary>
public sealed class SnapshotEditTests
{
    private static HttpRoute Route(string ns, string name) => new()
    {
        ApiVersion = "gateway.networking.k8s.io/v1",
        Kind = "HTTPRoute",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HttpRouteSpec(),
    };

    private static V1Service Service(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps" },
    };

    [Fact]
    public void Random_edits_give_what_a_snapshot_from_scratch_gives()
    {
        var random = new Random(7);
        var live = new List<IKubernetesObject<V1ObjectMeta>> { Service("svc") };
        var snapshot = ResourceSnapshot.From(live);
        for (var step = 0; step < 300; step++)
        {
            var added = new List<IKubernetesObject<V1ObjectMeta>>();
            var removed = new List<IKubernetesObject<V1ObjectMeta>>();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                var routes = live.OfType<HttpRoute>().ToList();
                if (routes.Count > 0 && random.Next(3) == 0)
                {
                    var gone = routes[random.Next(routes.Count)];
                    live.Remove(gone);
                    removed.Add(gone);
                    continue;
                }

                var name = $"r{random.Next(500):D3}";
                var ns = random.Next(2) == 0 ? "a" : "b";
                var existing = routes.FirstOrDefault(r => r.Metadata.Name == name && r.Metadata.NamespaceProperty == ns);
                if (existing is not null)
                {
                    // A changed object: its old form leaves, its new form enters.
                    live.Remove(existing);
                    removed.Add(existing);
                }

                var route = Route(ns, name);
                live.Add(route);
                added.Add(route);
            }

            var edited = snapshot.Edit(step + 1, added, removed);
            var fresh = ResourceSnapshot.From(live, step + 1);
            Assert.Equal(fresh.HttpRoutes.Select(r => r.Metadata.NamespaceProperty + "/" + r.Metadata.Name), edited.HttpRoutes.Select(r => r.Metadata.NamespaceProperty + "/" + r.Metadata.Name));
            Assert.True(fresh.HttpRoutes.SequenceEqual(edited.HttpRoutes), "the edit holds other objects than the store");
            Assert.True(edited.Services == snapshot.Services, "an edit that touches no Service rebuilt the Services list");
            snapshot = edited;
        }
    }

    [Fact]
    public void An_object_without_a_namespace_enters_in_default()
    {
        var route = Route(null!, "r");
        var edited = new ResourceSnapshot().Edit(1, [route], []);
        Assert.Equal("default", edited.HttpRoutes.Single().Metadata.NamespaceProperty);
    }
}
