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

    public static string Next() => $"{Prefix}-{Interlocked.Increment(ref s_counter):x}";
}
