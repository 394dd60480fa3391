using System.Globalization;

namespace Weft.Translation;

/// <summary>
/// Gateway API durations (GEP-2257): one to four "number unit" pairs, number 1–5 digits, unit
/// h, m, s or ms, e.g. "1h", "10s", "500ms", "1h30m". No sign, no fractions, no spaces.
/// </summary>
internal static class GatewayDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = 0;
        var parts = 0;
        long totalMs = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var digits = i - start;
            if (digits is 0 or > 5)
            {
                return false;
            }

            var n = long.Parse(text.AsSpan(start, digits), NumberStyles.None, CultureInfo.InvariantCulture);
            long unitMs;
            if (i + 1 < text.Length && text[i] == 'm' && text[i + 1] == 's')
            {
                unitMs = 1;
                i += 2;
            }
            else if (i < text.Length && text[i] == 'h')
            {
                unitMs = 3_600_000;
                i++;
            }
            else if (i < text.Length && text[i] == 'm')
            {
                unitMs = 60_000;
                i++;
            }
            else if (i < text.Length && text[i] == 's')
            {
                unitMs = 1_000;
                i++;
            }
            else
            {
                return false;
            }

            totalMs += n * unitMs;
            if (++parts > 4)
            {
                return false;
            }
        }

        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }
}
