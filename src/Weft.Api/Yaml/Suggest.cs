namespace Weft.Api.Yaml;

/// <summary>"Did you mean" suggestions: the closest candidate a small edit away.</summary>
internal static class Suggest
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            if (string.Equals(c, input, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }

            // The distance is at least the difference in length, and no limit is over 3: skip what cannot be
            // close before computing a table of input × candidate cells (a 1 MB misspelt key made ~400 MB of them).
            var prefix = input.Length >= 3 && c.StartsWith(input, StringComparison.OrdinalIgnoreCase);
            if (!prefix && Math.Abs(input.Length - c.Length) > 3)
            {
                continue;
            }

            var d = Distance(input.ToLowerInvariant(), c.ToLowerInvariant());
            var limit = Math.Max(1, Math.Min(3, Math.Max(input.Length, c.Length) / 3));
            if ((d <= limit || prefix) && d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }

        return best;
    }

    public static int Distance(string a, string b)
    {
        // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
