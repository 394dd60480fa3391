using k8s.Models;

namespace Weft.Translation;

/// <summary>Kubernetes label selector semantics: matchLabels AND every matchExpression (In, NotIn, Exists, DoesNotExist).</summary>
internal static class LabelSelectors
{
    /// <summary>True when <paramref name="selector"/> selects <paramref name="labels"/>. An empty selector selects everything.</summary>
    public static bool Matches(V1LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector.MatchLabels is { } ml)
        {
            foreach (var (k, v) in ml)
            {
                if (!labels.TryGetValue(k, out var actual) || actual != v)
                {
                    return false;
                }
            }
        }

        if (selector.MatchExpressions is { } exprs)
        {
            foreach (var e in exprs)
            {
                var has = labels.TryGetValue(e.Key, out var value);
                var values = e.Values ?? [];
                var ok = e.OperatorProperty switch
                {
                    "In" => has && values.Contains(value!),
                    "NotIn" => !has || !values.Contains(value!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false, // an unknown operator selects nothing (fail closed)
                };
                if (!ok)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Equality-based selection as Services use it: every selector pair present in labels. An empty selector selects nothing.</summary>
    public static bool SelectsAll(IDictionary<string, string>? selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (selector is null || selector.Count == 0 || labels is null)
        {
            return false;
        }

        foreach (var (k, v) in selector)
        {
            if (!labels.TryGetValue(k, out var actual) || actual != v)
            {
                return false;
            }
        }

        return true;
    }
}
