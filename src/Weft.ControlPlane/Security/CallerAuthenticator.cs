using System.Security.Cryptography;
using System.Text;
using Weft.Identity;

namespace Weft.ControlPlane.Security;

/// <summary>
/// Checks the bearer credential of API requests and distribution streams against the control plane's
/// administrator credential, in constant time.
/// </summary>
public sealed class CallerAuthenticator
{
    private const string Bearer = "Bearer ";
    private readonly string _adminToken;
    private readonly byte[] _adminBytes;

    public CallerAuthenticator(string adminToken)
    {
        _adminToken = adminToken;
        _adminBytes = Encoding.UTF8.GetBytes(adminToken);
    }

    /// <summary>The caller an <c>Authorization</c> header value proves.</summary>
    public Caller FromAuthorization(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return new Caller(CallerKind.Anonymous);
        }

        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return new Caller(CallerKind.Invalid);
        }

        var token = header.AsSpan(Bearer.Length).Trim();
        if (token.Length > 2048)
        {
            return new Caller(CallerKind.Invalid);
        }

        var text = token.ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(text), _adminBytes))
        {
            return new Caller(CallerKind.Admin);
        }

        return ProxyTokens.Verify(_adminToken, text) is { } scope ? new Caller(CallerKind.Proxy, scope) : new Caller(CallerKind.Invalid);
    }
}
