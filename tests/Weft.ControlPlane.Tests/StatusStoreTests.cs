using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.ControlPlane.Status;

namespace Weft.ControlPlane.Tests;

/// <summary>
/// Status as Weft reports it: lastTransitionTime moves only when a condition's status does, an
/// unchanged status keeps its object, and a resource that is gone loses its status.
/// </summary>
public sealed class StatusStoreTests
{
    private static readonly ResourceKey Web = new(GatewayApiGroup.Name, "HTTPRoute", "apps", "web");
    private static readonly ResourceKey Api = new(GatewayApiGroup.Name, "HTTPRoute", "apps", "api");

    private static RouteStatus Accepted(bool accepted, string message = "the route is accepted") => new()
    {
        Parents =
        [
            new RouteParentStatus
            {
                ParentRef = new ParentReference { Name = "gw", Namespace = "apps" },
                ControllerName = "weft.dev/gateway-controller",
                Conditions = [new V1Condition { Type = "Accepted", Status = accepted ? "True" : "False", Reason = accepted ? "Accepted" : "NoMatchingParent", Message = message, ObservedGeneration = 1 }],
            },
        ],
    };

    [Fact]
    public void An_unchanged_status_keeps_its_object_and_time_and_a_change_restamps_it()
    {
        var time = new ManualTime();
        var store = new StatusStore(time);
        store.Set([(Web, Accepted(true)), (Api, Accepted(true))]);
        var first = store.Get(Web);
        var stamped = ((RouteStatus)first!).Parents[0].Conditions[0].LastTransitionTime;
        Assert.Equal(time.GetUtcNow().UtcDateTime, stamped);

        time.Advance(TimeSpan.FromMinutes(1));
        store.Set([(Web, Accepted(true)), (Api, Accepted(true))]);
        Assert.Same(first, store.Get(Web));

        // Same status, new message: a new object, but the condition did not transition.
        time.Advance(TimeSpan.FromMinutes(1));
        store.Set([(Web, Accepted(true, "still accepted")), (Api, Accepted(true))]);
        var reworded = (RouteStatus)store.Get(Web)!;
        Assert.NotSame(first, reworded);
        Assert.Equal("still accepted", reworded.Parents[0].Conditions[0].Message);
        Assert.Equal(stamped, reworded.Parents[0].Conditions[0].LastTransitionTime);

        // The condition flips: it transitions now.
        time.Advance(TimeSpan.FromMinutes(1));
        store.Set([(Web, Accepted(false)), (Api, Accepted(true))]);
        Assert.Equal(time.GetUtcNow().UtcDateTime, ((RouteStatus)store.Get(Web)!).Parents[0].Conditions[0].LastTransitionTime);
    }

    [Fact]
    public void A_resource_left_out_of_the_next_set_loses_its_status()
    {
        var store = new StatusStore(new ManualTime());
        store.Set([(Web, Accepted(true)), (Api, Accepted(true))]);
        store.Set([(Api, Accepted(true))]);
        Assert.Null(store.Get(Web));
        Assert.Single(store.All);
        store.Set([]);
        Assert.Empty(store.All);
    }
}
