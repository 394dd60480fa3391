using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Weft.Ir;

// This file is compiled into two assemblies: Weft.Ir (public, see Re2Syntax.Visibility.cs; the IR
// validator, the translator and Weft.Routing use it) and Weft.Api (internal, linked from
// Weft.Api.csproj; resource validation uses it). Weft.Api references no other Weft project, and the
// dependency rule keeps it that way, so the one implementation is shared as source.

/// <summary>
/// User regular expressions are RE2 (as the Gateway API and Envoy define them) and are matched in linear
/// time. This is a tokenizer over the pattern (no regex) that accepts exactly RE2's syntax
/// (https://github.com/google/re2/wiki/Syntax), names the first construct it does not, and writes the
/// equivalent pattern for .NET's non-backtracking engine: RE2's syntax and semantics differ from .NET's
/// in places (<c>(?P&lt;name&gt;</c>, <c>\Q…\E</c>, POSIX classes, ASCII-only <c>\d \s \w</c>, <c>$</c> at
/// the very end only, <c>(?U)</c>, octal escapes, <c>\x{…}</c>), and the translation settles each of them.
/// </summary>
static partial class Re2Syntax
{
    /// <summary>The only options a user pattern is ever compiled with: never the backtracking engine.</summary>
    public const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // RE2's limit on a counted repetition and on the product of nested counted repetitions.
    private const int MaxRepeat = 1000;

    // Not an RE2 rule (RE2 bounds memory instead): a bound on nesting so that neither this parser's
    // stack nor .NET's tree passes grow without limit on a hostile pattern.
    private const int MaxDepth = 1000;

    /// <summary>
    /// Checks that <paramref name="pattern"/> is RE2 and translates it to .NET syntax (not anchored). On
    /// failure <paramref name="problem"/> names the construct and its offset.
    /// </summary>
    public static bool TryTranslate(string pattern, [NotNullWhen(true)] out string? dotnet, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var parser = new Parser(pattern);
        problem = parser.Run();
        dotnet = problem is null ? parser.Output : null;
        return problem is null;
    }

    /// <summary>
    /// The full-match (<c>\A(?:…)\z</c>, as RE2's FullMatch) linear-time regex for an RE2 pattern, or null
    /// with <paramref name="problem"/> set: the pattern is not RE2, or it is RE2 but .NET's
    /// non-backtracking engine cannot take it. There is no fallback to the backtracking engine.
    /// </summary>
    public static Regex? TryCreate(string pattern, out string? problem)
    {
        if (!TryTranslate(pattern, out var dotnet, out problem))
        {
            return null;
        }

        try
        {
            return new Regex($"\\A(?:{dotnet})\\z", Options);
        }
        catch (NotSupportedException e)
        {
            problem = $"RE2, but .NET's linear-time engine cannot take it ({e.Message})";
        }
        catch (ArgumentException e)
        {
            problem = $"RE2, but .NET's linear-time engine cannot take it ({e.Message})";
        }
        catch (InsufficientExecutionStackException)
        {
            problem = "RE2, but too deeply nested for .NET's linear-time engine";
        }

        return null;
    }

    // Verdicts by pattern. Building the engine is how to learn whether .NET's linear-time engine takes an RE2
    // pattern (its size limit, for one), and costs ~1.2 ms against ~5 µs for the translation; validation asks
    // about the same patterns again on every change of a file. Bounded: cleared when full.
    private static readonly ConcurrentDictionary<string, string> Verdicts = new(StringComparer.Ordinal);
    private const int MaxVerdicts = 10_000;

    /// <summary>
    /// Whether <see cref="TryCreate"/> would succeed, remembered per pattern: the check for validation, which
    /// needs the verdict and not the regex.
    /// </summary>
    public static bool IsValid(string pattern, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!Verdicts.TryGetValue(pattern, out var verdict))
        {
            verdict = TryCreate(pattern, out problem) is null ? problem! : "";
            if (Verdicts.Count >= MaxVerdicts)
            {
                Verdicts.Clear();
            }

            Verdicts[pattern] = verdict;
        }

        problem = verdict.Length == 0 ? null : verdict;
        return problem is null;
    }

    private sealed class Parser(string p)
    {
        private readonly StringBuilder _o = new(p.Length + 16);
        private readonly Stack<Frame> _stack = new();
        private Frame _f = new(Multiline: false, Ungreedy: false, Product: 1);
        private HashSet<string>? _names;
        private int _i;

        // What the last item was: an atom a quantifier may follow (and the product of the counted
        // repetitions inside it), a quantifier (so another one is stacked), or neither.
        private bool _atom;
        private int _atomProduct = 1;
        private bool _quantified;
        private bool _lastLazy;

        public string Output => _o.ToString();

        public string? Run()
        {
            while (_i < p.Length)
            {
                var c = p[_i];
                var error = c switch
                {
                    '(' => OpenGroup(),
                    ')' => CloseGroup(),
                    '|' => Emit("|", atom: false),
                    '*' or '+' or '?' => Quantifier(),
                    '{' when IsRepeat(_i, out _, out _, out _) => Quantifier(),
                    '^' => Emit("^", atom: true),
                    '$' => Emit(_f.Multiline ? "$" : "\\z", atom: true),
                    '.' => Emit(".", atom: true),
                    '[' => CharClass(),
                    '\\' => Escape(),
                    _ => LiteralAt(),
                };
                if (error is not null)
                {
                    return error;
                }
            }

            return _stack.Count > 0 ? "missing closing ) (unbalanced parentheses)" : null;
        }

        private string? Emit(string s, bool atom, int length = 1)
        {
            _o.Append(s);
            _i += length;
            SetAtom(atom);
            return null;
        }

        private void SetAtom(bool atom, int product = 1)
        {
            _atom = atom;
            _atomProduct = product;
            _quantified = false;
        }

        private string? LiteralAt()
        {
            var cp = CodePoint(_i, out var length);
            if (cp < 0)
            {
                return $"invalid UTF-16 (a lone surrogate) at offset {_i}";
            }

            _i += length;
            AppendLiteral(cp);
            SetAtom(true);
            return null;
        }

        // ---- groups ---------------------------------------------------------------------------------------------

        private string? OpenGroup()
        {
            var at = _i;
            if (_stack.Count >= MaxDepth)
            {
                return $"groups nested more than {MaxDepth} deep at offset {at}";
            }

            if (At(_i + 1) != '?')
            {
                Push(_f);
                _o.Append("(?:");
                _i++;
                return null;
            }

            var j = _i + 2;
            switch (At(j))
            {
                case ':':
                    Push(_f);
                    _o.Append("(?:");
                    _i = j + 1;
                    return null;
                case '=':
                    return $"lookahead (?=…) at offset {at}";
                case '!':
                    return $"negative lookahead (?!…) at offset {at}";
                case '>':
                    return $"atomic group (?>…) at offset {at}";
                case '(':
                    return $"conditional (?(…)…) at offset {at}";
                case '#':
                    return $"comment group (?#…) at offset {at}";
                case '|':
                    return $"branch reset group (?|…) at offset {at}";
                case '&':
                    return $"subroutine call (?&name) at offset {at}";
                case 'R' or '+' or '-' when At(j) != '-' || char.IsAsciiDigit(At(j + 1)):
                    return $"recursion (?{At(j)}…) at offset {at}";
                case var d when char.IsAsciiDigit(d):
                    return $"recursion or subroutine call (?{d}) at offset {at}";
                case 'C':
                    return $"callout (?C…) at offset {at}";
                case '\'':
                    return Contains(j + 1, '\'', '-')
                        ? $"balancing group (?'name-other'…) at offset {at}"
                        : $"named group (?'name'…) at offset {at}; RE2 writes (?P<name>…)";
                case 'P':
                    return At(j + 1) switch
                    {
                        '<' => NamedGroup(at, j + 2),
                        '=' => $"named backreference (?P=name) at offset {at}",
                        '>' => $"recursion (?P>name) at offset {at}",
                        _ => $"invalid group (?P at offset {at}",
                    };
                case '<':
                    return At(j + 1) switch
                    {
                        '=' => $"lookbehind (?<=…) at offset {at}",
                        '!' => $"negative lookbehind (?<!…) at offset {at}",
                        _ => NamedGroup(at, j + 1),
                    };
                default:
                    return Flags(at, j);
            }
        }

        private string? NamedGroup(int at, int nameStart)
        {
            var end = p.IndexOf('>', nameStart);
            if (end < 0)
            {
                return $"named group without a closing > at offset {at}";
            }

            var name = p[nameStart..end];
            if (name.Contains('-', StringComparison.Ordinal))
            {
                return $"balancing group (?<{name}>…) at offset {at}";
            }

            if (name.Length == 0 || !name.All(IsNameChar))
            {
                return $"invalid group name `{name}` at offset {at}";
            }

            if (!(_names ??= new(StringComparer.Ordinal)).Add(name))
            {
                return $"duplicate group name `{name}` at offset {at}";
            }

            // Matching never reads captures, so every group is non-capturing in .NET: names need no translation
            // and the engine tracks no capture positions.
            Push(_f);
            _o.Append("(?:");
            _i = end + 1;
            return null;
        }

        private static bool IsNameChar(char c) =>
            c == '_' || char.IsLetterOrDigit(c)
            || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation;

        // (?flags) and (?flags:re), flags from i, m, s and U, with at most one '-'.
        private string? Flags(int at, int j)
        {
            var on = new StringBuilder();
            var off = new StringBuilder();
            var frame = _f;
            var negated = false;
            var any = false;
            var afterMinus = false;
            for (; ; j++)
            {
                var c = At(j);
                switch (c)
                {
                    case 'i' or 'm' or 's' or 'U':
                        any = true;
                        afterMinus = false;
                        if (c == 'm')
                        {
                            frame = frame with { Multiline = !negated };
                        }

                        if (c == 'U')
                        {
                            frame = frame with { Ungreedy = !negated };
                        }
                        else
                        {
                            (negated ? off : on).Append(c);
                        }

                        continue;
                    case '-':
                        if (negated)
                        {
                            return $"invalid flags (two '-') at offset {at}";
                        }

                        negated = true;
                        afterMinus = true;
                        continue;
                    case ':' or ')':
                        if (!any || afterMinus)
                        {
                            return $"missing flags in (?…) at offset {at}";
                        }

                        break;
                    case '\0' when j >= p.Length:
                        return $"missing closing ) at offset {at}";
                    default:
                        return char.IsAsciiLetter(c)
                            ? $"inline option '{c}' at offset {at}; RE2 has only (?i), (?m), (?s) and (?U)"
                            : $"invalid group syntax (?{c} at offset {at}";
                }

                break;
            }

            var net = on.Length + off.Length == 0 ? "" : off.Length == 0 ? on.ToString() : $"{on}-{off}";
            if (p[j] == ')')
            {
                // (?flags) sets the flags to the end of the enclosing group, in RE2 and in .NET alike.
                _f = frame;
                if (net.Length > 0)
                {
                    _o.Append("(?").Append(net).Append(')');
                }

                _i = j + 1;

                // RE2 would repeat the atom before the flags (a(?i)* is a*); .NET would not: refuse to guess.
                SetAtom(false);
                return null;
            }

            Push(frame);
            _f = frame;
            _o.Append("(?").Append(net).Append(':');
            _i = j + 1;
            return null;
        }

        private void Push(Frame inner)
        {
            _stack.Push(_f);
            _f = inner with { Product = 1 };
            SetAtom(false);
        }

        private string? CloseGroup()
        {
            if (_stack.Count == 0)
            {
                return $"unmatched ) at offset {_i}";
            }

            var inner = _f.Product;
            _f = _stack.Pop();
            _f = _f with { Product = Math.Max(_f.Product, inner) };
            _o.Append(')');
            _i++;
            SetAtom(true, inner);
            return null;
        }

        // ---- quantifiers ----------------------------------------------------------------------------------------

        private string? Quantifier()
        {
            var at = _i;
            if (!_atom)
            {
                return _quantified
                    ? (p[at] == '+' && !_lastLazy ? $"possessive quantifier at offset {at - 1}" : $"stacked repetition operators at offset {at}")
                    : $"repetition operator {p[at]} without anything to repeat at offset {at}";
            }

            string text;
            var factor = 0;
            if (p[at] == '{')
            {
                IsRepeat(at, out var min, out var max, out var end);
                if (min > MaxRepeat || max > MaxRepeat)
                {
                    return $"repetition count over {MaxRepeat} at offset {at}";
                }

                if (max >= 0 && max < min)
                {
                    return $"repetition {{{min},{max}}} with max below min at offset {at}";
                }

                text = p[at..(end + 1)];
                factor = max >= 0 ? max : min;
                _i = end + 1;
            }
            else
            {
                text = p[at].ToString();
                _i++;
            }

            var lazy = At(_i) == '?';
            if (lazy)
            {
                _i++;
            }

            var product = _atomProduct;
            if (factor > 0)
            {
                product *= factor;
                if (product > MaxRepeat)
                {
                    return $"nested repetition counts multiply to over {MaxRepeat} at offset {at}";
                }
            }

            _f = _f with { Product = Math.Max(_f.Product, product) };

            // (?U) swaps greedy and lazy; .NET has no such flag.
            _o.Append(text);
            if (lazy != _f.Ungreedy)
            {
                _o.Append('?');
            }

            _atom = false;
            _quantified = true;
            _lastLazy = lazy;
            return null;
        }

        // {n}, {n,} or {n,m}; anything else starting with '{' is a literal '{' in RE2.
        private bool IsRepeat(int at, out int min, out int max, out int end)
        {
            min = max = -1;
            end = at;
            var j = at + 1;
            if (!ReadInt(ref j, out min))
            {
                return false;
            }

            max = min;
            if (At(j) == ',')
            {
                j++;
                if (At(j) == '}')
                {
                    max = -1;
                }
                else if (!ReadInt(ref j, out max))
                {
                    return false;
                }
            }

            if (At(j) != '}')
            {
                return false;
            }

            end = j;
            return true;
        }

        private bool ReadInt(ref int j, out int value)
        {
            value = 0;
            var start = j;
            while (char.IsAsciiDigit(At(j)))
            {
                // Saturate: any count over the limit is an error either way.
                value = Math.Min(value * 10 + (p[j] - '0'), 100_000);
                j++;
            }

            return j > start;
        }

        // ---- escapes --------------------------------------------------------------------------------------------

        private string? Escape()
        {
            var at = _i;
            if (_i + 1 >= p.Length)
            {
                return "trailing backslash at the end of the pattern";
            }

            var c = p[_i + 1];
            switch (c)
            {
                case 'b' or 'B' or 'A' or 'z':
                    // .NET's \b takes Unicode letters as word characters, RE2's only ASCII ones (documented).
                    return Emit("\\" + c, atom: true, length: 2);
                case 'C':
                    // One byte in RE2 (UTF-8); the nearest .NET has is one UTF-16 code unit.
                    return Emit("[\\u0000-\\uFFFF]", atom: true, length: 2);
                case 'Q':
                    return Quote();
                case 'p' or 'P' or 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                    {
                        _i++;
                        var set = new ClassSet();
                        var error = ClassEscape(set, at);
                        if (error is not null)
                        {
                            return error;
                        }

                        set.AppendTo(_o, negated: false);
                        SetAtom(true);
                        return null;
                    }

                default:
                    {
                        _i++;
                        var error = SingleEscape(at, inClass: false, out var cp);
                        if (error is not null)
                        {
                            return error;
                        }

                        AppendLiteral(cp);
                        SetAtom(true);
                        return null;
                    }
            }
        }

        // \Q…\E: literal text up to \E or the end of the pattern; a quantifier after it repeats the last character.
        private string? Quote()
        {
            _i += 2;
            while (_i < p.Length)
            {
                if (p[_i] == '\\' && At(_i + 1) == 'E')
                {
                    _i += 2;
                    return null;
                }

                var error = LiteralAt();
                if (error is not null)
                {
                    return error;
                }
            }

            return null;
        }

        // After the backslash (at _i); one character's escape: octal, hex, C escapes, escaped punctuation.
        private string? SingleEscape(int at, bool inClass, out int cp)
        {
            cp = 0;
            var c = p[_i];
            _i++;
            switch (c)
            {
                case >= '1' and <= '7' when !IsOctal(At(_i)):
                case '8' or '9':
                    return $"backreference \\{c} at offset {at}";
                case >= '0' and <= '7':
                    cp = c - '0';
                    for (var n = 0; n < 2 && IsOctal(At(_i)); n++)
                    {
                        cp = cp * 8 + (p[_i] - '0');
                        _i++;
                    }

                    return null;
                case 'x':
                    return Hex(at, out cp);
                case 'a':
                    cp = 7;
                    return null;
                case 'f':
                    cp = 12;
                    return null;
                case 't':
                    cp = 9;
                    return null;
                case 'n':
                    cp = 10;
                    return null;
                case 'r':
                    cp = 13;
                    return null;
                case 'v':
                    cp = 11;
                    return null;
                case 'k' or 'g':
                    return $"backreference \\{c} at offset {at}";
                case 'G':
                    return $"\\G (the end of the previous match) at offset {at}";
                case 'Z':
                    return $"\\Z at offset {at}; RE2 has \\z (the end of the text)";
                case 'K':
                    return $"\\K (match reset) at offset {at}";
                case 'e':
                    return $"\\e at offset {at}; RE2 writes \\x1B";
                case 'c':
                    return $"control escape \\c at offset {at}; RE2 writes \\x01 etc.";
                case 'b' or 'B' or 'A' or 'z' or 'C' or 'Q' when inClass:
                    return $"escape \\{c} inside a character class at offset {at}";
                case 'E':
                    return $"\\E without \\Q at offset {at}";
                case < (char)0x80 when !char.IsAsciiLetterOrDigit(c):
                    // RE2: an escaped ASCII non-word character is itself (and \_ too).
                    cp = c;
                    return null;
                default:
                    return $"escape \\{c} at offset {at}";
            }
        }

        private static bool IsOctal(char c) => c is >= '0' and <= '7';

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private string? Hex(int at, out int cp)
        {
            cp = 0;
            if (At(_i) == '{')
            {
                var j = _i + 1;
                var digits = 0;
                while (char.IsAsciiHexDigit(At(j)))
                {
                    cp = Math.Min(cp * 16 + HexValue(p[j]), 0x110000);
                    digits++;
                    j++;
                }

                if (digits == 0 || At(j) != '}' || cp > 0x10FFFF)
                {
                    return $"invalid hex escape \\x{{…}} at offset {at}";
                }

                _i = j + 1;
                return null;
            }

            if (!char.IsAsciiHexDigit(At(_i)) || !char.IsAsciiHexDigit(At(_i + 1)))
            {
                return $"invalid hex escape at offset {at}; RE2 takes \\xHH or \\x{{H…}}";
            }

            cp = HexValue(p[_i]) * 16 + HexValue(p[_i + 1]);
            _i += 2;
            return null;
        }

        // \d \D \s \S \w \W \pN \p{Name} \p{^Name} \PN; _i is at the letter.
        private string? ClassEscape(ClassSet set, int at)
        {
            var c = p[_i];
            _i++;
            switch (c)
            {
                case 'd' or 'D':
                    set.Add(Digit, negated: c == 'D');
                    return null;
                case 's' or 'S':
                    set.Add(Space, negated: c == 'S');
                    return null;
                case 'w' or 'W':
                    set.Add(Word, negated: c == 'W');
                    return null;
            }

            string name;
            if (At(_i) == '{')
            {
                var end = p.IndexOf('}', _i);
                if (end < 0)
                {
                    return $"\\{c}{{ without a closing }} at offset {at}";
                }

                name = p[(_i + 1)..end];
                _i = end + 1;
            }
            else if (_i < p.Length)
            {
                name = p[_i].ToString();
                _i++;
            }
            else
            {
                return $"\\{c} without a class name at offset {at}";
            }

            var negated = c == 'P';
            if (name.StartsWith('^'))
            {
                negated = !negated;
                name = name[1..];
            }

            if (name == "Any")
            {
                set.Add([(0, 0xFFFF)], negated);
                return null;
            }

            if (!Categories.Contains(name))
            {
                return $"Unicode class \\p{{{name}}} at offset {at}: .NET's engine knows only the general categories (L, Lu, N, Nd, P, …) and Any, not RE2's script names";
            }

            set.Properties.Add((negated ? "\\P{" : "\\p{") + name + "}");
            return null;
        }

        // ---- character classes ----------------------------------------------------------------------------------

        private string? CharClass()
        {
            var at = _i;
            _i++;
            var negated = At(_i) == '^';
            if (negated)
            {
                _i++;
            }

            var set = new ClassSet();
            var first = true;
            while (true)
            {
                if (_i >= p.Length)
                {
                    return $"missing ] for the character class at offset {at}";
                }

                var c = p[_i];
                if (c == ']' && !first)
                {
                    _i++;
                    break;
                }

                first = false;
                if (c == '[' && At(_i + 1) == ':')
                {
                    var end = p.IndexOf(":]", _i + 2, StringComparison.Ordinal);
                    if (end >= 0)
                    {
                        var name = p[(_i + 2)..end];
                        var neg = name.StartsWith('^');
                        if (!Posix.TryGetValue(neg ? name[1..] : name, out var ranges))
                        {
                            return $"invalid POSIX class [:{name}:] at offset {_i}";
                        }

                        set.Add(ranges, neg);
                        _i = end + 2;
                        continue;
                    }
                }

                if (c == '\\' && At(_i + 1) is 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'p' or 'P')
                {
                    var escAt = _i;
                    _i++;
                    var error = ClassEscape(set, escAt);
                    if (error is not null)
                    {
                        return error;
                    }

                    continue;
                }

                var loError = ClassChar(out var lo);
                if (loError is not null)
                {
                    return loError;
                }

                var hi = lo;
                if (At(_i) == '-' && _i + 1 < p.Length && p[_i + 1] != ']')
                {
                    var rangeAt = _i;
                    _i++;
                    if (p[_i] == '\\' && At(_i + 1) is 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'p' or 'P')
                    {
                        return $"invalid character class range at offset {rangeAt}";
                    }

                    var hiError = ClassChar(out hi);
                    if (hiError is not null)
                    {
                        return hiError;
                    }

                    if (hi < lo)
                    {
                        return $"invalid character class range (end before start) at offset {rangeAt}";
                    }
                }

                if (hi > 0xFFFF)
                {
                    return $"a character above U+FFFF inside a character class at offset {at}: .NET's engine matches UTF-16 code units; use an alternation";
                }

                set.Ranges.Add((lo, hi));
            }

            set.AppendTo(_o, negated);
            SetAtom(true);
            return null;
        }

        private string? ClassChar(out int cp)
        {
            if (p[_i] == '\\')
            {
                var at = _i;
                _i++;
                if (_i >= p.Length)
                {
                    cp = 0;
                    return "trailing backslash at the end of the pattern";
                }

                return SingleEscape(at, inClass: true, out cp);
            }

            cp = CodePoint(_i, out var length);
            if (cp < 0)
            {
                return $"invalid UTF-16 (a lone surrogate) at offset {_i}";
            }

            _i += length;
            return null;
        }

        // ---- output ---------------------------------------------------------------------------------------------

        private void AppendLiteral(int cp)
        {
            if (cp > 0xFFFF)
            {
                // Two code units in .NET: grouped, so that a quantifier repeats the whole character.
                var s = char.ConvertFromUtf32(cp);
                _o.Append("(?:").Append(CultureInvariantHex(s[0])).Append(CultureInvariantHex(s[1])).Append(')');
                return;
            }

            var c = (char)cp;
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                _o.Append(c);
            }
            else if (c is > ' ' and < (char)0x7F)
            {
                _o.Append('\\').Append(c);
            }
            else
            {
                _o.Append(CultureInvariantHex(c));
            }
        }

        private char At(int j) => j < p.Length ? p[j] : '\0';

        // The code point at j (a surrogate pair counts as one), or -1 for a lone surrogate.
        private int CodePoint(int j, out int length)
        {
            var c = p[j];
            if (char.IsHighSurrogate(c) && j + 1 < p.Length && char.IsLowSurrogate(p[j + 1]))
            {
                length = 2;
                return char.ConvertToUtf32(c, p[j + 1]);
            }

            length = 1;
            return char.IsSurrogate(c) ? -1 : c;
        }

        private bool Contains(int from, char until, char what)
        {
            var end = p.IndexOf(until, from);
            return p.IndexOf(what, from, (end < 0 ? p.Length : end) - from) >= 0;
        }
    }

    internal static string CultureInvariantHex(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private readonly record struct Frame(bool Multiline, bool Ungreedy, int Product);

    // A class as ranges of UTF-16 code units plus .NET Unicode properties (which have no range form here).
    private sealed class ClassSet
    {
        public List<(int Lo, int Hi)> Ranges { get; } = [];

        public List<string> Properties { get; } = [];

        public void Add((int Lo, int Hi)[] ranges, bool negated)
        {
            if (!negated)
            {
                Ranges.AddRange(ranges);
                return;
            }

            // The complement within the BMP, ranges sorted and disjoint as the tables below are.
            var next = 0;
            foreach (var (lo, hi) in ranges)
            {
                if (lo > next)
                {
                    Ranges.Add((next, lo - 1));
                }

                next = hi + 1;
            }

            if (next <= 0xFFFF)
            {
                Ranges.Add((next, 0xFFFF));
            }
        }

        public void AppendTo(StringBuilder o, bool negated)
        {
            if (Ranges.Count == 0 && Properties.Count == 0)
            {
                // An empty class ([^\x00-\x{10FFFF}] in RE2) matches nothing, its negation anything; .NET has no "[]".
                o.Append(negated ? "[\\u0000-\\uFFFF]" : "[^\\u0000-\\uFFFF]");
                return;
            }

            o.Append('[');
            if (negated)
            {
                o.Append('^');
            }

            Ranges.Sort();
            var merged = new List<(int Lo, int Hi)>();
            foreach (var r in Ranges)
            {
                if (merged.Count > 0 && r.Lo <= merged[^1].Hi + 1)
                {
                    merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, r.Hi));
                }
                else
                {
                    merged.Add(r);
                }
            }

            foreach (var (lo, hi) in merged)
            {
                Char(o, lo);
                if (hi != lo)
                {
                    o.Append('-');
                    Char(o, hi);
                }
            }

            foreach (var property in Properties)
            {
                o.Append(property);
            }

            o.Append(']');

            static void Char(StringBuilder o, int c)
            {
                if (char.IsAsciiLetterOrDigit((char)c))
                {
                    o.Append((char)c);
                }
                else
                {
                    o.Append(CultureInvariantHex((char)c));
                }
            }
        }
    }

    // RE2's Perl classes are ASCII-only, unlike .NET's.
    private static readonly (int, int)[] Digit = [('0', '9')];
    private static readonly (int, int)[] Space = [('\t', '\n'), ('\f', '\r'), (' ', ' ')];
    private static readonly (int, int)[] Word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

    private static readonly Dictionary<string, (int, int)[]> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = [('0', '9'), ('A', 'Z'), ('a', 'z')],
        ["alpha"] = [('A', 'Z'), ('a', 'z')],
        ["ascii"] = [(0, 0x7F)],
        ["blank"] = [('\t', '\t'), (' ', ' ')],
        ["cntrl"] = [(0, 0x1F), (0x7F, 0x7F)],
        ["digit"] = [('0', '9')],
        ["graph"] = [('!', '~')],
        ["lower"] = [('a', 'z')],
        ["print"] = [(' ', '~')],
        ["punct"] = [('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        ["space"] = [('\t', '\r'), (' ', ' ')],
        ["upper"] = [('A', 'Z')],
        ["word"] = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        ["xdigit"] = [('0', '9'), ('A', 'F'), ('a', 'f')],
    };

    // The Unicode general categories both RE2 and .NET know.
    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
        "Z", "Zl", "Zp", "Zs",
    };
}
