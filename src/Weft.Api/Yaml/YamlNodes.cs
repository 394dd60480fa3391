using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weft.Api.Yaml;

/// <summary>A 1-based position in the original text (already offset to the whole file, not the document).</summary>
internal readonly record struct YPos(int Line, int Column);

/// <summary>
/// A minimal YAML node tree built from YamlDotNet's parser events. We keep our own tree (not YamlDotNet's
/// representation model) so duplicate keys become diagnostics instead of exceptions and every node keeps its mark.
/// </summary>
internal abstract class YNode(YPos pos)
{
    public YPos Pos { get; } = pos;
    public abstract string Describe { get; }

    /// <summary>Nodes in this subtree with aliases expanded (what walking it costs), saturating just above the limit.</summary>
    public long ExpandedSize { get; protected init; } = 1;

    // Children are clamped, so a sum of at most a few thousand clamped values cannot overflow.
    protected static long Clamp(long size) => Math.Min(size, YamlReader.MaxExpandedNodes + 1);
}

internal sealed class YScalar(YPos pos, string value, ScalarStyle style, string? tag) : YNode(pos)
{
    public string Value { get; } = value;
    public ScalarStyle Style { get; } = style;

    /// <summary>Explicit tag, e.g. "tag:yaml.org,2002:str", or null.</summary>
    public string? Tag { get; } = tag;

    /// <summary>A plain (unquoted, untagged) scalar: its type is resolved from its text.</summary>
    public bool IsPlain => (Style is ScalarStyle.Plain or ScalarStyle.Any) && Tag is null;

    /// <summary>True for `~`, `null`, `Null`, `NULL` and the empty plain scalar, or an explicit !!null tag.</summary>
    public bool IsNull =>
        Tag == "tag:yaml.org,2002:null"
        || (IsPlain && Value is "" or "~" or "null" or "Null" or "NULL");

    public override string Describe => IsNull ? "null" : $"`{Value}`";
}

internal sealed class YSequence(YPos pos, List<YNode> items) : YNode(pos)
{
    public List<YNode> Items { get; } = items;
    public override string Describe => "a list";

    public static YSequence Create(YPos pos, List<YNode> items) => new(pos, items) { ExpandedSize = Clamp(1 + items.Sum(i => i.ExpandedSize)) };
}

internal sealed class YMapping(YPos pos, List<KeyValuePair<YNode, YNode>> entries) : YNode(pos)
{
    public List<KeyValuePair<YNode, YNode>> Entries { get; } = entries;
    public override string Describe => "a mapping";

    public static YMapping Create(YPos pos, List<KeyValuePair<YNode, YNode>> entries) =>
        new(pos, entries) { ExpandedSize = Clamp(1 + entries.Sum(e => e.Key.ExpandedSize + e.Value.ExpandedSize)) };

    public YNode? Get(string key)
    {
        foreach (var e in Entries)
        {
            if (e.Key is YScalar s && s.Value == key)
            {
                return e.Value;
            }
        }

        return null;
    }
}

/// <summary>One YAML document of a file (its root node), or the syntax error that stopped it.</summary>
internal sealed record YDocument(YNode? Root, YPos Start, YamlSyntaxError? Error);

internal sealed record YamlSyntaxError(YPos Pos, string Message);

/// <summary>
/// Splits a multi-document text at document markers (`---` / `...` in column 1, as the YAML spec does) and parses
/// each part on its own, so one malformed document does not hide the others.
/// </summary>
internal static partial class YamlReader
{
    /// <summary>Deeper nesting than any manifest needs; keeps recursion bounded on hostile input.</summary>
    public const int MaxDepth = 256;

    /// <summary>Nodes a document may expand to through aliases (a "billion laughs" document is refused).</summary>
    public const long MaxExpandedNodes = 1_000_000;

    public static List<YDocument> ReadAll(string text)
    {
        var docs = new List<YDocument>();
        foreach (var (chunk, lineOffset) in Split(text))
        {
            ParseChunk(chunk, lineOffset, docs);
        }

        return docs;
    }

    private static IEnumerable<(string Text, int LineOffset)> Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = 0;
        var onlyDirectives = true; // the current chunk holds nothing but directives, comments and blank lines so far
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (IsMarker(line, "---"))
            {
                if (i > start && !onlyDirectives)
                {
                    yield return (string.Join('\n', lines[start..i]), start);
                    start = i;
                }

                onlyDirectives = false;
                continue;
            }

            if (IsMarker(line, "..."))
            {
                yield return (string.Join('\n', lines[start..(i + 1)]), start);
                start = i + 1;
                onlyDirectives = true;
                continue;
            }

            var trimmed = line.TrimStart();
            if (onlyDirectives && !(trimmed.Length == 0 || trimmed[0] == '#' || line.StartsWith('%')))
            {
                onlyDirectives = false;
            }
        }

        if (start < lines.Length)
        {
            yield return (string.Join('\n', lines[start..]), start);
        }
    }

    private static bool IsMarker(string line, string marker) =>
        line.StartsWith(marker, StringComparison.Ordinal)
        && (line.Length == marker.Length || line[marker.Length] is ' ' or '\t' or '\r');

    private static void ParseChunk(string chunk, int lineOffset, List<YDocument> docs)
    {
        var parser = new Parser(new StringReader(chunk));
        var docStart = new YPos(lineOffset + 1, 1);
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                var ds = parser.Consume<DocumentStart>();
                docStart = Pos(ds.Start, lineOffset);
                var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
                var root = ReadNode(parser, lineOffset, anchors, 0);
                parser.Consume<DocumentEnd>();
                if (root.ExpandedSize > MaxExpandedNodes)
                {
                    throw new YamlException(ds.Start, ds.End, $"the document expands to more than {MaxExpandedNodes} nodes through aliases");
                }

                docs.Add(new YDocument(root, Pos(root.Pos, docStart), null));
            }
        }
        catch (YamlException ex)
        {
            docs.Add(new YDocument(null, docStart, new YamlSyntaxError(Pos(ex.Start, lineOffset), CleanMessage(ex))));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // The codec never throws on input; anything the parser did not classify is still a syntax problem.
            docs.Add(new YDocument(null, docStart, new YamlSyntaxError(docStart, ex.Message)));
        }
    }

    private static YPos Pos(YPos root, YPos docStart) => root.Line > 0 ? root : docStart;

    private static YPos Pos(Mark mark, int lineOffset) =>
        new((int)mark.Line + lineOffset, (int)mark.Column);

    private static YNode ReadNode(IParser parser, int lineOffset, Dictionary<string, YNode> anchors, int depth)
    {
        var ev = parser.Consume<ParsingEvent>();
        if (depth > MaxDepth)
        {
            throw new YamlException(ev.Start, ev.End, $"nesting deeper than {MaxDepth} levels");
        }

        YNode node;
        switch (ev)
        {
            case AnchorAlias alias:
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
                }

                return target;
            case Scalar s:
                node = new YScalar(Pos(s.Start, lineOffset), s.Value, s.Style, TagOf(s.Tag, s.IsPlainImplicit || s.IsQuotedImplicit));
                break;
            case SequenceStart seq:
            {
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, lineOffset, anchors, depth + 1));
                }

                node = YSequence.Create(Pos(seq.Start, lineOffset), items);
                break;
            }

            case MappingStart map:
            {
                var entries = new List<KeyValuePair<YNode, YNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, lineOffset, anchors, depth + 1);
                    var value = ReadNode(parser, lineOffset, anchors, depth + 1);
                    entries.Add(new(key, value));
                }

                node = YMapping.Create(Pos(map.Start, lineOffset), entries);
                break;
            }

            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
        }

        if (ev is NodeEvent { Anchor.IsEmpty: false } ne)
        {
            anchors[ne.Anchor.Value] = node;
        }

        return node;
    }

    private static string? TagOf(TagName tag, bool implicitTag)
    {
        if (tag.IsEmpty || tag.IsNonSpecific)
        {
            return null;
        }

        var t = tag.Value;
        if (t.StartsWith("!!", StringComparison.Ordinal))
        {
            t = "tag:yaml.org,2002:" + t[2..];
        }

        return implicitTag && t == "?" ? null : t;
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; our location
    // says where (offset to the whole file), so keep only the explanation.
    private static string CleanMessage(YamlException ex)
    {
        var msg = PositionPrefix().Replace(ex.Message, "");
        return msg.Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
