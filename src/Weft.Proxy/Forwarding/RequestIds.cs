using System.Security.Cryptography;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// x-request-id values for requests that arrive without one: a random per-process prefix and a
/// counter. Unique enough to correlate logs, and far cheaper than a random GUID per request.
/// </summary>
internal static class RequestIds
{
    private static readonly string Prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private static long s_counter;

    public const string Header = "x-request-id";

    /// <summary>The longest client id kept when the proxy preserves external ids.</summary>
    public const int MaxLength = 128;

    public static string Next() => $"{Prefix}-{Interlocked.Increment(ref s_counter):x}";

    /// <summary>One value of 1–128 visible ASCII characters: safe to log and to pass on.</summary>
    public static bool IsWellFormed(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= MaxLength } value && !value.AsSpan().ContainsAnyExceptInRange('!', '~');
}
