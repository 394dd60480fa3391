using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// The <c>session</c> cookie: who is signed in (BOOKINFO-SPEC §1.3). Signed with HMAC-SHA256 so a client cannot
/// edit it, like Flask's signed session; its content is <c>base64url(user).base64url(mac)</c>.
/// </summary>
internal sealed class SessionCookie(byte[] key)
{
    public const string Name = "session";

    /// <summary>The signed-in user, or null (no cookie, bad signature, or signed out).</summary>
    public string? User(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(Name, out var value) || value is null)
        {
            return null;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return null;
        }

        try
        {
            var user = Base64Url.DecodeFromChars(value.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
            return CryptographicOperations.FixedTimeEquals(mac, Mac(user)) ? Encoding.UTF8.GetString(user) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void SignIn(HttpResponse response, string user)
    {
        var bytes = Encoding.UTF8.GetBytes(user);
        var value = Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(Mac(bytes));
        // A browser-session cookie, HttpOnly, Path=/, as Flask's.
        response.Cookies.Append(Name, value, new CookieOptions { HttpOnly = true, Path = "/" });
    }

    public static void SignOut(HttpResponse response) => response.Cookies.Delete(Name, new CookieOptions { HttpOnly = true, Path = "/" });

    private byte[] Mac(byte[] user) => HMACSHA256.HashData(key, user);
}
