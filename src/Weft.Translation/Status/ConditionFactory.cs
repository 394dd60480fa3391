using k8s.Models;

namespace Weft.Translation.Status;

/// <summary>
/// Builds conditions the way the spec spells them. lastTransitionTime is left at its default:
/// the translator has no clock; the status writer stamps it (keeping the old time when the
/// condition's status is unchanged).
/// </summary>
internal static class ConditionFactory
{
    public static V1Condition Create(string type, bool status, string reason, string message, long? observedGeneration) =>
        new()
        {
            Type = type,
            Status = status ? "True" : "False",
            Reason = reason,
            Message = message,
            ObservedGeneration = observedGeneration,
        };
}
