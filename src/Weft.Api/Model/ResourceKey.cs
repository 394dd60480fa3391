namespace Weft.Api.Model;

/// <summary>Identity of a resource: group, kind, namespace ("" when cluster-scoped) and name.</summary>
public readonly record struct ResourceKey(string Group, string Kind, string Namespace, string Name) : IComparable<ResourceKey>
{
    public override string ToString() =>
        Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public int CompareTo(ResourceKey other)
    {
        var c = string.CompareOrdinal(Group, other.Group);
        if (c == 0) c = string.CompareOrdinal(Kind, other.Kind);
        if (c == 0) c = string.CompareOrdinal(Namespace, other.Namespace);
        if (c == 0) c = string.CompareOrdinal(Name, other.Name);
        return c;
    }
}
