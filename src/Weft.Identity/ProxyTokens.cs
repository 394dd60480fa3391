using System.Security.Cryptography;
using System.Text;

namespace Weft.Identity;

/// <summary>
/// A proxy's proof of who it is on the distribution stream, until proxies carry SPIFFE certificates:
/// a token bound to one scope — the Gateway it serves (<c>gateway:NS/NAME</c>) or the namespace whose
/// sidecar config it takes (<c>sidecar:NS</c>) — and signed with the administrator credential
/// (HMAC-SHA256). The control plane gives a proxy with such a token that scope's config and nothing
/// else, and refuses it on the API. A token can be handed to a proxy that should not hold the
/// administrator credential (`weft x proxy-token`).
/// Form: <c>weftp.BASE64URL(scope).BASE64URL(mac)</c>.
/// </summary>
public static class ProxyTokens
{
    public const string Prefix = "weftp.";

    private static readonly byte[] Purpose = "weft proxy token v1\n"u8.ToArray();

    /// <summary>The scope of a gateway proxy.</summary>
    public static string GatewayScope(string ns, string name) => $"gateway:{ns}/{name}";

    /// <summary>The scope of a namespace's sidecars (they all receive that namespace's mesh config).</summary>
    public static string SidecarScope(string ns) => $"sidecar:{ns}";

    /// <summary>The scope a proxy of <paramref name="role"/> for NS/NAME needs.</summary>
    public static string ScopeFor(string role, string ns, string name) => role == "sidecar" ? SidecarScope(ns) : $"{role}:{ns}/{name}";

    /// <summary>A token for <paramref name="scope"/>, signed with the administrator credential.</summary>
    public static string Mint(string adminToken, string scope) =>
        Prefix + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope)) + "." + System.Buffers.Text.Base64Url.EncodeToString(Mac(adminToken, scope));

    /// <summary>
    /// The token a proxy for <paramref name="scope"/> presents given what it holds: an administrator
    /// credential is turned into the scoped token (so the credential itself never goes on the wire),
    /// a scoped token is sent as it is.
    /// </summary>
    public static string? ForProxy(string? held, string scope) =>
        held is null ? null : LocalCredential.IsAdminToken(held) ? Mint(held, scope) : held;

    /// <summary>The scope of <paramref name="token"/> when it was signed with <paramref name="adminToken"/>; null otherwise.</summary>
    public static string? Verify(string adminToken, string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0 || token.Length - dot > 100 || dot - Prefix.Length > 1024)
        {
            return null;
        }

        string scope;
        byte[] presented;
        try
        {
            scope = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length)));
            presented = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(presented, Mac(adminToken, scope)) ? scope : null;
    }

    private static byte[] Mac(string adminToken, string scope)
    {
        var message = new byte[Purpose.Length + Encoding.UTF8.GetByteCount(scope)];
        Purpose.CopyTo(message, 0);
        Encoding.UTF8.GetBytes(scope, message.AsSpan(Purpose.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminToken), message);
    }
}
