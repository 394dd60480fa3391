using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>
/// The RE2 checker under fuzzing: any string is refused or compiled, never an exception; and on the part of the
/// syntax where RE2 and .NET mean the same, the translated linear-time regex matches exactly as .NET's own
/// backtracking engine does on the untranslated pattern.
/// </summary>
public sealed class Re2SyntaxFuzzTests
{
    [Fact]
    public void Any_string_is_refused_or_compiled_never_an_exception() =>
        Gen.Char[@"()[]{}*+?|\^$.:=!<>-,'#&PpQEdDwWsSbBAzZGCkxX0123789abciUmsn_ "].Array[0, 24].Select(a => new string(a))
            .Sample(pattern =>
            {
                var regex = Re2Syntax.TryCreate(pattern, out var problem);
                Assert.True(regex is not null ^ problem is not null);

                // What the translator and the IR validator check (the syntax) and what the proxy compiles agree:
                // a translated pattern is one .NET's linear-time engine takes, short of its size limit.
                Assert.Equal(Re2Syntax.TryTranslate(pattern, out _, out _), regex is not null || problem!.StartsWith("RE2, but", StringComparison.Ordinal));
                Assert.Equal(regex is not null, Re2Syntax.IsValid(pattern, out _));
                if (regex is not null)
                {
                    Assert.Equal(RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, regex.Options);
                    _ = regex.IsMatch(pattern);
                }
            }, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(8_000), threads: FuzzSettings.Threads);

    [Fact]
    public void Translated_patterns_match_as_the_same_pattern_does_in_dotnet() =>
        Gen.Select(Gen.Int, Gen.Char["ab/\nA"].Array[0, 8].Select(a => new string(a)).Array[1, 12])
            .Sample((seed, inputs) =>
            {
                var pattern = Pattern(new Random(seed), 2);
                var linear = Re2Syntax.TryCreate(pattern, out var problem);
                Assert.True(linear is not null, $"{pattern}: {problem}");
                // The reference is .NET's own linear-time engine on the untranslated pattern: what is compared is the
                // translation. Not the backtracking engine: besides patterns catastrophic for it (one ran for minutes
                // here), it answers wrongly on some lazy loops of possibly-empty bodies, e.g. it says
                // ((?i:b*\/*)*?|a)?[^a/]*? matches "/ba" (it cannot: nothing there takes the "a") and overflows on "ba".
                var reference = new Regex($"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
                foreach (var input in inputs)
                {
                    Assert.True(reference.IsMatch(input) == linear.IsMatch(input), $"{pattern} on {input.Replace("\n", "\\n", StringComparison.Ordinal)}");
                }
            }, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(1500), threads: FuzzSettings.Threads);

    // A random pattern from the syntax RE2 and .NET share with the same meaning (no $, \d, \w, \b, POSIX, \Q…).
    private static string Pattern(Random r, int depth)
    {
        var sb = new StringBuilder();
        var items = r.Next(1, 4);
        for (var i = 0; i < items; i++)
        {
            var atom = (depth > 0 ? r.Next(9) : r.Next(5)) switch
            {
                0 => "a",
                1 => "b",
                2 => ".",
                3 => r.Next(2) == 0 ? "[ab]" : "[^a/]",
                4 => "\\/",
                5 => $"({Pattern(r, depth - 1)}|{Pattern(r, depth - 1)})",
                6 => $"(?:{Pattern(r, depth - 1)})",
                7 => $"(?i:{Pattern(r, depth - 1)})",
                _ => $"(?P<g{r.Next(1000)}x{depth}{i}>{Pattern(r, depth - 1)})",
            };
            sb.Append(atom.StartsWith("(?P<", StringComparison.Ordinal) ? "(?<" + atom[4..] : atom);
            sb.Append(r.Next(8) switch
            {
                0 => "*",
                1 => "+",
                2 => "?",
                3 => "{1,3}",
                4 => "*?",
                _ => "",
            });
        }

        return sb.ToString();
    }
}
