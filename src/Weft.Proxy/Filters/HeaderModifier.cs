using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Weft.Ir;

namespace Weft.Proxy.Filters;

/// <summary>A compiled RequestHeaderModifier or ResponseHeaderModifier: set, then add, then remove.</summary>
internal sealed class HeaderModifier
{
    private readonly (string Name, StringValues Value)[] _set;
    private readonly (string Name, string Value)[] _add;
    private readonly string[] _remove;

    public HeaderModifier(HeaderModifierIr ir)
    {
        _set = [.. ir.Set.Select(h => (h.Name, new StringValues(h.Value)))];
        _add = [.. ir.Add.Select(h => (h.Name, h.Value))];
        _remove = [.. ir.Remove];
    }

    public void Apply(IHeaderDictionary headers)
    {
        foreach (var (name, value) in _set)
        {
            headers[name] = value;
        }

        // "add" appends to the header's value, as one comma-separated line ("a,b", as Envoy and the
        // Gateway API conformance suite expect), not as a second field line that would be
        // forwarded as "a, b".
        foreach (var (name, value) in _add)
        {
            var existing = headers[name];
            headers[name] = existing.Count == 0 ? value : string.Join(',', [.. existing, value]);
        }

        foreach (var name in _remove)
        {
            headers.Remove(name);
        }
    }

    public static void ApplyAll(HeaderModifier[] modifiers, IHeaderDictionary headers)
    {
        foreach (var modifier in modifiers)
        {
            modifier.Apply(headers);
        }
    }
}
