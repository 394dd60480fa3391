namespace Weft.Cli.Output;

/// <summary>Prints rows in left-aligned columns separated by three spaces, as kubectl does.</summary>
internal sealed class TableWriter
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TableWriter(params string[] headers) => _headers = headers;

    public void Add(params string[] cells) => _rows.Add(cells);

    public int Count => _rows.Count;

    public void WriteTo(TextWriter output)
    {
        var widths = new int[_headers.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = _headers[i].Length;
            foreach (var row in _rows)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        Write(output, _headers, widths);
        foreach (var row in _rows)
        {
            Write(output, row, widths);
        }
    }

    private static void Write(TextWriter output, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            output.Write(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 3));
        }

        output.WriteLine();
    }

    /// <summary>kubectl's age format: 42s, 5m, 3h, 2d.</summary>
    public static string Age(DateTimeOffset? created, DateTimeOffset now)
    {
        if (created is null)
        {
            return "<unknown>";
        }

        var age = now - created.Value;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
