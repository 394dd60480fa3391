using Weft.Api.GatewayApi;
using Weft.Api.Model;

namespace Weft.Translation.Status;

/// <summary>
/// HTTPRoute status: one entry per parentRef that names a Gateway of ours (or a Gateway that does
/// not exist), with Accepted, ResolvedRefs and, when some but not all rules are invalid,
/// PartiallyInvalid=True (reason UnsupportedValue, message "Dropped Rule(s) …": those rules answer 500,
/// or are left out entirely when their matches cannot be compiled).
/// </summary>
internal static class RouteStatusBuilder
{
    public static StatusUpdate Build(HttpRouteState route, string controllerName)
    {
        var generation = route.Generation;
        var parents = new List<RouteParentStatus>();
        foreach (var parent in route.Parents)
        {
            var conditions = new List<k8s.Models.V1Condition>
            {
                ConditionFactory.Create(Conditions.Accepted, parent.Accepted, parent.Reason, parent.Message, generation),
                route.UnresolvedReason is null
                    ? ConditionFactory.Create(Conditions.ResolvedRefs, true, Reasons.ResolvedRefs, "all references are resolved", generation)
                    : ConditionFactory.Create(Conditions.ResolvedRefs, false, route.UnresolvedReason, string.Join("; ", route.UnresolvedMessages), generation),
            };
            var invalid = route.InvalidRules.ToList();
            if (invalid.Count > 0 && !route.AllRulesInvalid)
            {
                conditions.Add(ConditionFactory.Create(Conditions.PartiallyInvalid, true, Reasons.UnsupportedValue,
                    $"Dropped Rule(s) {string.Join(", ", invalid.Select(r => r.Index))} (their requests get 500, or match nothing when the match itself is invalid): {string.Join("; ", invalid.Select(r => r.InvalidMessage))}",
                    generation));
            }

            parents.Add(new RouteParentStatus { ParentRef = parent.ParentRef, ControllerName = controllerName, Conditions = conditions });
        }

        return new StatusUpdate(
            new ResourceKey(GatewayApiGroup.Name, route.Kind, route.Namespace, route.Name),
            new RouteStatus { Parents = parents });
    }
}
