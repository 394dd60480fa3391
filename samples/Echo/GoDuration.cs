using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Weft.Samples.Echo;

/// <summary>
/// Go's <c>time.ParseDuration</c>, so that <c>?delay=</c> accepts exactly what echo-basic accepts
/// (<c>1s</c>, <c>1.5h</c>, <c>2h45m</c>, <c>300us</c>, <c>-1s</c>) and fails with the same message.
/// </summary>
internal static class GoDuration
{
    private const ulong Max = 1UL << 63;

    public static bool TryParse(string text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var s = text.AsSpan();
        var negative = false;
        if (!s.IsEmpty && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // A bare zero is the only number allowed without a unit.
        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = Invalid(text);
            return false;
        }

        ulong nanoseconds = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = Invalid(text);
                return false;
            }

            var before = s.Length;
            if (!TryLeadingInt(ref s, out var whole))
            {
                error = Invalid(text);
                return false;
            }

            var hasWhole = before != s.Length;
            ulong fraction = 0;
            var scale = 1.0;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                before = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hasFraction = before != s.Length;
            }

            if (!hasWhole && !hasFraction)
            {
                error = Invalid(text);
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && !(s[unitLength] == '.' || char.IsAsciiDigit(s[unitLength])))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"time: missing unit in duration {Quote(text)}";
                return false;
            }

            var unitText = s[..unitLength];
            s = s[unitLength..];
            var unit = UnitNanoseconds(unitText);
            if (unit == 0)
            {
                error = $"time: unknown unit {Quote(unitText.ToString())} in duration {Quote(text)}";
                return false;
            }

            if (whole > Max / unit)
            {
                error = Invalid(text);
                return false;
            }

            var value = whole * unit;
            if (fraction > 0)
            {
                value += (ulong)(fraction * (unit / scale));
                if (value > Max)
                {
                    error = Invalid(text);
                    return false;
                }
            }

            nanoseconds += value;
            if (nanoseconds > Max)
            {
                error = Invalid(text);
                return false;
            }
        }

        if (!negative && nanoseconds > Max - 1)
        {
            error = Invalid(text);
            return false;
        }

        // TimeSpan counts 100 ns ticks; finer precision does not matter for a sleep.
        var ticks = (long)(nanoseconds / 100);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > Max / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > Max)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    // Digits past what fits are consumed but ignored, as in Go.
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > (Max - 1) / 10)
            {
                overflow = true;
                continue;
            }

            var next = (value * 10) + (ulong)(s[i] - '0');
            if (next > Max)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }

    private static ulong UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    private static string Invalid(string text) => $"time: invalid duration {Quote(text)}";

    // Go's time.quote: printable ASCII as is (with " and \ escaped), anything else as \xNN UTF-8 bytes.
    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= ' ' and < 0x80)
            {
                if (rune.Value is '"' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append("\\x").Append(b.ToString("x2"));
            }
        }

        return builder.Append('"').ToString();
    }
}
