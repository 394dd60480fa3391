using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Translation.Status;

namespace Weft.Translation;

/// <summary>A GatewayClass this controller owns, and whether it accepted it.</summary>
internal sealed record GatewayClassState(GatewayClass Class, bool Accepted, string Message, StatusUpdate Status)
{
    public string Name => Class.Metadata.Name;
}

/// <summary>
/// Pass 1. A class is ours when spec.controllerName equals ours; others get no status and their
/// Gateways are ignored. Ours: Accepted=True/Accepted and SupportedVersion=True/SupportedVersion,
/// unless it has a parametersRef (Weft reads no parameters kind): Accepted=False/InvalidParameters.
/// </summary>
internal static class GatewayClassTranslator
{
    public const string SupportedVersionReason = "SupportedVersion";

    public static List<GatewayClassState> Translate(TranslationContext context)
    {
        var result = new List<GatewayClassState>();
        foreach (var gc in context.Snapshot.GatewayClasses)
        {
            if (!string.Equals(gc.Spec.ControllerName, context.Options.ControllerName, StringComparison.Ordinal))
            {
                continue;
            }

            var generation = gc.Metadata.Generation;
            var accepted = true;
            var message = "Weft accepts this GatewayClass";
            if (gc.Spec.ParametersRef is { } p)
            {
                accepted = false;
                message = $"parametersRef {p.Kind}.{p.Group}/{p.Name} is not supported: Weft reads no GatewayClass parameters";
            }

            var status = new GatewayClassStatus
            {
                Conditions =
                [
                    ConditionFactory.Create(Conditions.Accepted, accepted, accepted ? Reasons.Accepted : Reasons.InvalidParameters, message, generation),
                    ConditionFactory.Create(Conditions.SupportedVersion, true, SupportedVersionReason, "Gateway API v1.4 is supported", generation),
                ],
                SupportedFeatures = [.. SupportedFeatures.All.Select(f => new SupportedFeature { Name = f })],
            };
            var key = new ResourceKey(GatewayApiGroup.Name, GatewayClass.KindName, "", gc.Metadata.Name);
            result.Add(new GatewayClassState(gc, accepted, message, new StatusUpdate(key, status)));
        }

        return result;
    }
}
