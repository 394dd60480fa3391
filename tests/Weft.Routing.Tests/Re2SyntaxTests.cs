using System.Text.RegularExpressions;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>The RE2 checker: what it accepts (and how each accepted pattern matches), and what it rejects, naming the construct.</summary>
public sealed class Re2SyntaxTests
{
    public static TheoryData<string, string> Rejected => new()
    {
        { @"^(a+)+\1$", @"backreference \1" },
        { @"(.*)\1", @"backreference \1" },
        { @"(a)\9", @"backreference \9" },
        { @"(?<n>a)\k<n>", @"backreference \k" },
        { @"(?P<n>a)(?P=n)", "named backreference (?P=name)" },
        { "a(?=b)", "lookahead (?=…)" },
        { "a(?!b)", "negative lookahead (?!…)" },
        { "(?<=a)b", "lookbehind (?<=…)" },
        { "(?<!a)b", "negative lookbehind (?<!…)" },
        { "(?>a+)b", "atomic group (?>…)" },
        { "a*+", "possessive quantifier" },
        { "a++", "possessive quantifier" },
        { "a?+", "possessive quantifier" },
        { "a{2,3}+", "possessive quantifier" },
        { "a**", "stacked repetition operators" },
        { "a*?+", "stacked repetition operators" },
        { "(?(1)a|b)", "conditional (?(…)…)" },
        { "(?<a-b>x)", "balancing group" },
        { "(?'a-b'x)", "balancing group" },
        { "(?'a'x)", "named group (?'name'…)" },
        { @"\Gabc", @"\G" },
        { @"abc\Z", @"\Z" },
        { "(?x)a b", "inline option 'x'" },
        { "(?n)(a)", "inline option 'n'" },
        { "(?i-x:a)", "inline option 'x'" },
        { "(?#comment)a", "comment group" },
        { "(?|a|b)", "branch reset group" },
        { "(?R)", "recursion" },
        { "(?1)", "recursion or subroutine call" },
        { "(?&name)", "subroutine call" },
        { "(?P>name)", "recursion (?P>name)" },
        { @"\e", @"\e" },
        { @"\cA", @"control escape \c" },
        { @"\K", @"\K" },
        { @"\q", @"escape \q" },
        { @"\E", @"\E without \Q" },
        { @"[\b]", @"escape \b inside a character class" },
        { "a{1001}", "repetition count over 1000" },
        { "(a{100}){100}", "nested repetition counts multiply to over 1000" },
        { "a{3,2}", "max below min" },
        { "*a", "without anything to repeat" },
        { "(*a)", "without anything to repeat" },
        { "(", "missing closing )" },
        { ")", "unmatched )" },
        { "[a", "missing ]" },
        { "[z-a]", "end before start" },
        { "[[:foo:]]", "invalid POSIX class" },
        { "(?P<a>x)(?P<a>y)", "duplicate group name" },
        { "(?)", "missing flags" },
        { "(?i-)", "missing flags" },
        { "(?i-s-m)", "two '-'" },
        { @"\x{110000}", "invalid hex escape" },
        { @"\xZ1", "invalid hex escape" },
        { "a\\", "trailing backslash" },
        // RE2, but not something .NET's linear-time engine knows: rejected the same way, never a fallback.
        { @"\p{Greek}", "script names" },
        { "[\U0001F600]", "above U+FFFF inside a character class" },
        { "(abcdefghijk){1000}", "RE2, but .NET's linear-time engine cannot take it" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Patterns_that_are_not_RE2_are_rejected_naming_the_construct(string pattern, string construct)
    {
        Assert.Null(Re2Syntax.TryCreate(pattern, out var problem));
        Assert.Contains(construct, problem, StringComparison.Ordinal);
    }

    // Pattern, an input it matches in full, an input it does not (RE2's semantics where they differ from .NET's).
    public static TheoryData<string, string, string> Accepted => new()
    {
        { "/items/[0-9]+", "/items/42", "/items/x" },
        { "(?P<id>[a-z]+)-(?P<n>\\d+)", "ab-12", "ab-" },
        { "(?<id>[a-z]+)", "ab", "AB" },
        { "(?i)abc", "ABC", "abd" },
        { "(?i:ab)c", "ABc", "ABC" },
        { "(?s).+", "a\nb", "" },
        { ".+", "ab", "a\nb" },
        { "(?m)a$\nb", "a\nb", "ab" },
        // RE2's $ (without m) is the end of the text only, not before a final newline as .NET's.
        { "a$", "a", "a\n" },
        { "(?U)a+", "a", "aa-never" },
        { "(?U)a+?b", "aab", "b" },
        { "a*?b", "aab", "a" },
        { "[[:alpha:]]+", "abcXYZ", "abc1" },
        { "[[:^digit:]]+", "ab", "a1" },
        { "[[:xdigit:][:space:]]+", "af 09", "g" },
        // \d, \s and \w are ASCII in RE2 (Unicode in .NET).
        { @"\d+", "0123456789", "١٢" },
        { @"\w+", "a_Z9", "é" },
        { @"\s", " ", "\u00a0" },
        { @"[^\D]", "7", "x" },
        { @"\pL+", "éa", "1" },
        { @"\p{Lu}\P{Lu}", "Ab", "AB" },
        { @"\p{^Lu}", "a", "A" },
        { @"\p{Any}", "x", "" },
        { @"\Qa.b*c\E+", "a.b*cc", "axb" },
        { @"\Qa.b", "a.b", "axb" },
        { @"\x41\x{42}\103", "ABC", "ABD" },
        { @"\12", "\n", "\u0001" + "2" },
        { @"\0", "\0", "0" },
        { @"\_\-\ \#", "_- #", "_-#" },
        { @"\Aab\z", "ab", "abc" },
        { @"a\b", "a", "ab" },
        { @"\C", "x", "xy" },
        { "a{2}b{1,}c{0,2}", "aabbbc", "abc" },
        { "x{,2}", "x{,2}", "xx" },
        { "[]a]+", "]a", "b" },
        { "[^]a]", "b", "]" },
        { "[a-c-e]+", "a-e", "d" },
        { "[a-z-[aeiou]]", "[]", "b" },
        { "a|", "", "b" },
        { "()", "", "a" },
        { "/(?:pkg\\.(Echo|Other))/(?:Ca.*)", "/pkg.Other/Call", "/pkgxEcho/Call" },
        { "(?:ab)+", "abab", "aba" },
        { "(?i)(?-i:a)B", "ab", "Ab" },
        { "(a{10}){100}", new string('a', 1000), "a" },
        { "\U0001F600+", "\U0001F600\U0001F600", "\U0001F600\uD83D" },
        { "caf\u00e9", "caf\u00e9", "cafe" },
        { @"\x{1F600}{2}", "\U0001F600\U0001F600", "\U0001F600" },
        { "(?U)(?-U:a+)b*", "aab", "b" },
        { "^*a", "a", "b" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void RE2_patterns_match_with_RE2_semantics_on_the_non_backtracking_engine(string pattern, string match, string noMatch)
    {
        var regex = Re2Syntax.TryCreate(pattern, out var problem);

        Assert.True(regex is not null, problem);
        Assert.True((regex.Options & RegexOptions.NonBacktracking) != 0);
        Assert.Matches(regex, match);
        Assert.DoesNotMatch(regex, noMatch);
    }

    [Fact]
    public void What_Regex_Escape_writes_for_every_ASCII_character_is_RE2_and_matches_the_character()
    {
        // The translator writes Istio prefix matches and GRPC method names with Regex.Escape; the IR must stay RE2.
        for (var c = (char)1; c < 0x7F; c++)
        {
            var regex = Re2Syntax.TryCreate(Regex.Escape(c.ToString()), out var problem);
            Assert.True(regex is not null, $"{(int)c}: {problem}");
            Assert.Matches(regex, c.ToString());
        }
    }

    [Theory]
    [InlineData("(a+)+$")]
    [InlineData("(a|a)*b")]
    [InlineData("(a|aa)+c")]
    [InlineData("(.*a){12}")]
    public void Classically_catastrophic_RE2_patterns_run_on_the_linear_engine(string pattern)
    {
        // The engine choice is the guarantee (NonBacktracking is linear in the input); the match itself
        // would take ages on a backtracking engine against these 30,000 characters.
        var regex = Re2Syntax.TryCreate(pattern, out var problem);
        Assert.True(regex is not null, problem);
        Assert.Equal(RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, regex.Options);
        Assert.DoesNotMatch(regex, new string('a', 30_000) + "!");
    }
}
