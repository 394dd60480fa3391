using System.Collections.Immutable;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;

namespace Weft.ControlPlane.Status;

/// <summary>
/// The status Weft reports for each resource it owns. The translator computes conditions without
/// times; this stamps lastTransitionTime, keeping the previous time when a condition's status did
/// not change (as the spec asks), so repeated translations don't churn status.
/// In local mode this is where status lives; the Kubernetes source writes the same objects back.
/// </summary>
public sealed class StatusStore
{
    private readonly TimeProvider _time;
    private ImmutableDictionary<ResourceKey, object> _status = ImmutableDictionary<ResourceKey, object>.Empty;

    public StatusStore(TimeProvider time) => _time = time;

    public ImmutableDictionary<ResourceKey, object> All => Volatile.Read(ref _status);

    public object? Get(ResourceKey key) => All.GetValueOrDefault(key);

    /// <summary>Replaces the whole status set with the translator's latest output.</summary>
    public void Set(IEnumerable<(ResourceKey Key, object Status)> updates)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var previous = All;
        var builder = ImmutableDictionary.CreateBuilder<ResourceKey, object>();
        foreach (var (key, status) in updates)
        {
            previous.TryGetValue(key, out var old);
            builder[key] = Stamp(status, old, now);
        }

        Volatile.Write(ref _status, builder.ToImmutable());
    }

    private static object Stamp(object status, object? old, DateTime now) => status switch
    {
        GatewayClassStatus s => s with { Conditions = StampAll(s.Conditions, (old as GatewayClassStatus)?.Conditions, now) },
        GatewayStatus s => s with
        {
            Conditions = StampAll(s.Conditions, (old as GatewayStatus)?.Conditions, now),
            Listeners = [.. s.Listeners.Select(l => l with
            {
                Conditions = StampAll(l.Conditions, (old as GatewayStatus)?.Listeners.FirstOrDefault(o => o.Name == l.Name)?.Conditions, now),
            })],
        },
        RouteStatus s => s with
        {
            Parents = [.. s.Parents.Select(p => p with
            {
                Conditions = StampAll(p.Conditions, (old as RouteStatus)?.Parents.FirstOrDefault(o => o.ParentRef == p.ParentRef)?.Conditions, now),
            })],
        },
        PolicyStatus s => s with
        {
            Ancestors = [.. s.Ancestors.Select(a => a with
            {
                Conditions = StampAll(a.Conditions, (old as PolicyStatus)?.Ancestors.FirstOrDefault(o => o.AncestorRef == a.AncestorRef)?.Conditions, now),
            })],
        },
        _ => status,
    };

    private static List<V1Condition> StampAll(List<V1Condition> conditions, List<V1Condition>? old, DateTime now)
    {
        var result = new List<V1Condition>(conditions.Count);
        foreach (var c in conditions)
        {
            var before = old?.FirstOrDefault(o => o.Type == c.Type);
            var time = before is not null && before.Status == c.Status && before.LastTransitionTime != default
                ? before.LastTransitionTime
                : now;
            result.Add(new V1Condition
            {
                Type = c.Type,
                Status = c.Status,
                Reason = c.Reason,
                Message = c.Message ?? "",
                ObservedGeneration = c.ObservedGeneration,
                LastTransitionTime = time,
            });
        }

        return result;
    }
}
