using Weft.Api.GatewayApi;

namespace Weft.Translation;

/// <summary>
/// Answers "may an object of kind F in namespace A refer to object N of kind T in namespace B?"
/// Same-namespace references are always allowed; cross-namespace ones need a ReferenceGrant in B
/// whose <c>from</c> names (group F, kind F, namespace A) and whose <c>to</c> names (group T, kind T)
/// with no name (every object) or name N.
/// </summary>
internal sealed class ReferenceGrants
{
    private readonly ILookup<string, ReferenceGrant> _byNamespace;

    public ReferenceGrants(IEnumerable<ReferenceGrant> grants) =>
        _byNamespace = grants.ToLookup(g => g.Metadata.NamespaceProperty ?? "", StringComparer.Ordinal);

    public bool Allows(string fromGroup, string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName)
    {
        if (string.Equals(fromNamespace, toNamespace, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var grant in _byNamespace[toNamespace])
        {
            var fromOk = grant.Spec.From.Any(f =>
                f.Group == fromGroup && f.Kind == fromKind && f.Namespace == fromNamespace);
            if (!fromOk)
            {
                continue;
            }

            var toOk = grant.Spec.To.Any(t =>
                (t.Group ?? "") == toGroup && t.Kind == toKind && (string.IsNullOrEmpty(t.Name) || t.Name == toName));
            if (toOk)
            {
                return true;
            }
        }

        return false;
    }
}
