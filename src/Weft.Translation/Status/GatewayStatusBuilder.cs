using Weft.Api.GatewayApi;
using Weft.Api.Model;

namespace Weft.Translation.Status;

/// <summary>
/// Gateway status: Accepted and Programmed on the Gateway, the bound address, and per listener
/// Accepted / Programmed / ResolvedRefs / Conflicted with supportedKinds and attachedRoutes.
/// As the spec requires, a Gateway with any invalid or conflicted listener reports Accepted with
/// reason ListenersNotValid: True while at least one listener can be programmed, False otherwise.
/// </summary>
internal static class GatewayStatusBuilder
{
    public static StatusUpdate Build(TranslationContext context, GatewayState gateway)
    {
        var generation = gateway.Generation;
        var listeners = gateway.Listeners.Select(l => BuildListener(gateway, l, generation)).ToList();
        var conditions = new List<k8s.Models.V1Condition>();
        var invalid = gateway.Listeners.Where(l => !l.Accepted || l.ConflictReason is not null || !l.RefsResolved).ToList();
        var programmable = gateway.Listeners.Where(l => l.Programmable).ToList();

        if (!gateway.Class.Accepted)
        {
            var msg = $"GatewayClass {gateway.Class.Name} is not accepted: {gateway.Class.Message}";
            conditions.Add(ConditionFactory.Create(Conditions.Accepted, false, Reasons.Invalid, msg, generation));
            conditions.Add(ConditionFactory.Create(Conditions.Programmed, false, Reasons.Invalid, msg, generation));
        }
        else if (!gateway.Address.Supported)
        {
            conditions.Add(ConditionFactory.Create(Conditions.Accepted, false, Reasons.UnsupportedAddress, gateway.Address.Message, generation));
            conditions.Add(ConditionFactory.Create(Conditions.Programmed, false, Reasons.Invalid, "the Gateway is not accepted: " + gateway.Address.Message, generation));
        }
        else
        {
            if (invalid.Count == 0)
            {
                conditions.Add(ConditionFactory.Create(Conditions.Accepted, true, Reasons.Accepted, "the Gateway is accepted", generation));
            }
            else
            {
                var message = $"invalid listener(s): {string.Join(", ", invalid.Select(l => $"{l.Name} ({Why(l)})"))}; "
                              + (programmable.Count == 0 ? "no listener can be programmed" : $"programmed listener(s): {string.Join(", ", programmable.Select(l => l.Name))}");
                conditions.Add(ConditionFactory.Create(Conditions.Accepted, programmable.Count > 0, Reasons.ListenersNotValid, message, generation));
            }

            conditions.Add(!gateway.Address.Usable
                ? ConditionFactory.Create(Conditions.Programmed, false, Reasons.AddressNotUsable, gateway.Address.Message, generation)
                : programmable.Count > 0
                ? ConditionFactory.Create(Conditions.Programmed, true, Reasons.Programmed, $"the proxy serves {programmable.Count} listener(s) on {gateway.BindAddress}", generation)
                : ConditionFactory.Create(Conditions.Programmed, false, Reasons.Invalid, "no listener can be programmed", generation));
        }

        var status = new GatewayStatus
        {
            Addresses = gateway.Programmable ? [new GatewayStatusAddress { Type = GatewayAddresses.IpAddressType, Value = gateway.BindAddress }] : null,
            Conditions = conditions,
            Listeners = listeners,
        };
        return new StatusUpdate(new ResourceKey(GatewayApiGroup.Name, Gateway.KindName, gateway.Namespace, gateway.Name), status);
    }

    private static string Why(ListenerState l) =>
        !l.Accepted ? l.AcceptedReason
        : l.ConflictReason ?? l.RefsReason;

    private static ListenerStatus BuildListener(GatewayState gateway, ListenerState l, long? generation)
    {
        // A listener is only served when its Gateway's address can be bound.
        var programmed = gateway.Class.Accepted && gateway.Address.Usable && l.Programmable;
        return new ListenerStatus
        {
            Name = l.Name,
            SupportedKinds = [.. l.SupportedKinds],
            AttachedRoutes = l.Attached.Count,
            Conditions =
            [
                ConditionFactory.Create(Conditions.Accepted, l.Accepted, l.AcceptedReason, l.AcceptedMessage, generation),
                ConditionFactory.Create(Conditions.Programmed, programmed, programmed ? Reasons.Programmed : Reasons.Invalid,
                    programmed ? "the listener is programmed" : !gateway.Address.Usable && l.Programmable ? "the Gateway is not programmed: " + gateway.Address.Message : l.NotProgrammedMessage, generation),
                l.RefsResolved
                    ? ConditionFactory.Create(Conditions.ResolvedRefs, true, Reasons.ResolvedRefs, "all references are resolved", generation)
                    : ConditionFactory.Create(Conditions.ResolvedRefs, false, l.RefsReason, string.Join("; ", l.RefsMessages), generation),
                l.ConflictReason is null
                    ? ConditionFactory.Create(Conditions.Conflicted, false, Reasons.NoConflicts, "no conflicts", generation)
                    : ConditionFactory.Create(Conditions.Conflicted, true, l.ConflictReason, l.ConflictMessage, generation),
            ],
        };
    }
}
