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

    /// <summary>Replaces the whole status set with the translator's latest output (enumerated once, twice when something went away).</summary>
    public void Set(IEnumerable<(ResourceKey Key, object Status)> updates)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var previous = All;

        // Edited in place from the previous set: a translation of thousands of routes usually
        // changes a handful of statuses, and an unchanged one keeps its object (see Unchanged).
        var builder = previous.ToBuilder();
        var kept = 0;
        foreach (var (key, status) in updates)
        {
            if (previous.TryGetValue(key, out var old))
            {
                kept++;
                if (Unchanged(status, old))
                {
                    continue;
                }
            }

            builder[key] = Stamp(status, old, now);
        }

        if (kept != previous.Count)
        {
            // Something went away (the usual change only adds or edits: no set to build).
            var seen = new HashSet<ResourceKey>(updates.Select(u => u.Key));
            foreach (var key in previous.Keys)
            {
                if (!seen.Contains(key))
                {
                    builder.Remove(key);
                }
            }
        }

        Volatile.Write(ref _status, builder.ToImmutable());
    }

    // A route's status as the translator computed it (no times) says the same as the one stored.
    private static bool Unchanged(object status, object old)
    {
        if (status is not RouteStatus fresh || old is not RouteStatus stored || fresh.Parents.Count != stored.Parents.Count)
        {
            return false;
        }

        for (var i = 0; i < fresh.Parents.Count; i++)
        {
            var a = fresh.Parents[i];
            var b = stored.Parents[i];
            if (a.ParentRef != b.ParentRef || a.ControllerName != b.ControllerName || !SameConditions(a.Conditions, b.Conditions))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameConditions(List<V1Condition> fresh, List<V1Condition> stored)
    {
        if (fresh.Count != stored.Count)
        {
            return false;
        }

        for (var i = 0; i < fresh.Count; i++)
        {
            var a = fresh[i];
            var b = stored[i];
            if (a.Type != b.Type || a.Status != b.Status || a.Reason != b.Reason || (a.Message ?? "") != b.Message || a.ObservedGeneration != b.ObservedGeneration)
            {
                return false;
            }
        }

        return true;
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
