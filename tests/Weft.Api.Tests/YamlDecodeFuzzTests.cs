using System.Diagnostics;
using System.Text;
using CsCheck;
using Weft.Api.Yaml;

namespace Weft.Api.Tests;

/// <summary>
/// Hardening (#13, item 10): the YAML decoder on mutated real inputs (fuzz-corpus/*.yaml, copied from samples/
/// and the golden testdata; crashes found are kept there as regression cases). Whatever the bytes, Decode
/// returns diagnostics — no exception escapes — within a deadline and within a memory bound.
/// </summary>
public sealed class YamlDecodeFuzzTests
{
    private static readonly string CorpusDir = Path.Combine(RepoPaths.Root, "tests", "Weft.Api.Tests", "fuzz-corpus");
    private static readonly byte[][] Corpus = [.. Directory.GetFiles(CorpusDir, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    // Allocations per case (two decodes): a fixed allowance plus a multiple of the input. Generous (the decoder
    // builds nodes, JSON and typed objects from every byte) but finite: an alias bomb that expanded would blow
    // through it, as a 0.5 MB misspelt key did (~400 MB) before Suggest skipped what cannot be close.
    private const long FixedAllowance = 128L << 20;
    private const long PerInputByte = 800;

    private enum Mutation { FlipBit, Truncate, DeepNesting, AliasBomb, HugeScalar, InvalidUtf8, Splice, DropLine, Token }

    private static readonly string[] Tokens =
    [
        "&a ", "*a", "<<: *a\n", "!!binary ", "!tag ", "? ", "---\n", "...\n", "%YAML 1.1\n", "|\n", ">-\n", "\"\\u", "'", "\t",
        "{", "}", "[", "]", ": ", "- ", "#", "\r", "\0", "\uFEFF", "!!int ", "!!float .nan", "0x", "1e999999", "~", "null", "*",
    ];

    private static readonly Gen<(int File, (Mutation Kind, int A, int B)[] Steps)> Cases =
        Gen.Select(
            Gen.Int[0, Corpus.Length - 1],
            Gen.Select(Gen.Enum<Mutation>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[0, 4]);

    [Fact]
    public void The_corpus_decodes_as_it_is() =>
        Assert.All(Corpus, bytes => Decode(bytes));

    [Fact]
    public void Mutated_documents_give_diagnostics_not_exceptions_in_bounded_time_and_memory() =>
        Cases.Sample(c => Decode(Mutate(Corpus[c.File], c.Steps)),
            seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(1500), threads: FuzzSettings.Threads,
            print: c => $"file {c.File}, steps {string.Join(", ", c.Steps)}");

    [Theory]
    [InlineData(100_000)]
    public void Deep_nesting_of_every_kind_is_bounded(int depth)
    {
        Decode(Encoding.UTF8.GetBytes(new string('[', depth)));
        Decode(Encoding.UTF8.GetBytes(new string('{', depth)));
        Decode(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("- ", depth)) + "x"));
        Decode(Encoding.UTF8.GetBytes("spec:\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => new string(' ', i + 1) + "a:\n"))));
    }

    [Fact]
    public void A_huge_misspelt_key_is_cheap()
    {
        // Found by the fuzzer: "did you mean" built an input × candidate table for every known field, ~400 MB for a
        // 0.5 MB key. Kept as a regression case here (generated, so that the corpus stays small).
        var yaml = File.ReadAllText(Path.Combine(CorpusDir, "app-routes.yaml")).Replace("parentRefs:", new string('p', 1 << 20) + ":", StringComparison.Ordinal);
        Decode(Encoding.UTF8.GetBytes(yaml));
    }

    [Fact]
    public void An_alias_bomb_is_bounded() => Decode(Encoding.UTF8.GetBytes(AliasBomb(10)));

    private static void Decode(byte[] bytes)
    {
        // As files and API bodies are read (bytes, strict UTF-8), and as text (invalid sequences replaced), which
        // reaches the rest of the decoder whatever the bytes were.
        var text = Encoding.UTF8.GetString(bytes);
        long allocated = 0;
        Exception? error = null;
        var watch = Stopwatch.StartNew();

        // Its own thread, with the default stack a thread-pool thread has (where FileSource decodes): a hang
        // fails the case at the deadline instead of stalling the run, and a stack overflow would end the run.
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Assert.NotNull(YamlCodec.DecodeUtf8(bytes, "fuzz.yaml").Diagnostics);
                Assert.NotNull(YamlCodec.Decode(text, "fuzz.yaml").Diagnostics);
            }
            catch (Exception e)
            {
                error = e;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        if (!thread.Join(Deadline))
        {
            throw new TimeoutException($"Decode took over {Deadline.TotalSeconds} s on {bytes.Length} bytes: {Preview(text)}");
        }

        if (error is not null)
        {
            throw new InvalidOperationException($"Decode threw on {bytes.Length} bytes after {watch.ElapsedMilliseconds} ms: {Preview(text)}", error);
        }

        var bound = FixedAllowance + PerInputByte * bytes.Length;
        Assert.True(allocated < bound, $"Decode allocated {allocated:N0} bytes on {bytes.Length:N0} bytes of input (bound {bound:N0}): {Preview(text)}");
    }

    private static string Preview(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} chars)";

    private static byte[] Mutate(byte[] original, (Mutation Kind, int A, int B)[] steps)
    {
        var bytes = new List<byte>(original);
        foreach (var (kind, a, b) in steps)
        {
            var at = bytes.Count == 0 ? 0 : a % (bytes.Count + 1);
            switch (kind)
            {
                case Mutation.FlipBit when bytes.Count > 0:
                    bytes[a % bytes.Count] ^= (byte)(1 << (b % 8));
                    break;
                case Mutation.Truncate:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case Mutation.DeepNesting:
                    var opener = (b % 4) switch { 0 => "[", 1 => "{a: ", 2 => "- ", _ => "a:\n " };
                    bytes.InsertRange(LineStart(bytes, at), Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(opener, 1 + b % 5000))));
                    break;
                case Mutation.AliasBomb:
                    bytes.AddRange(Encoding.UTF8.GetBytes("\n---\n" + AliasBomb(2 + b % 9)));
                    break;
                case Mutation.HugeScalar:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(new string((char)('a' + b % 26), 1 + b % (1 << 20))));
                    break;
                case Mutation.InvalidUtf8:
                    bytes.InsertRange(at, (b % 5) switch
                    {
                        0 => [0xC3, 0x28],
                        1 => [0xFF],
                        2 => [0xED, 0xA0, 0x80], // an encoded surrogate
                        3 => [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
                        _ => [0xE2, 0x82],
                    });
                    break;
                case Mutation.Splice:
                    var other = Corpus[b % Corpus.Length];
                    var from = b % other.Length;
                    bytes.InsertRange(at, other.Skip(from).Take(1 + a % 400));
                    break;
                case Mutation.DropLine:
                    var start = LineStart(bytes, at);
                    var end = bytes.IndexOf((byte)'\n', Math.Min(start, bytes.Count));
                    bytes.RemoveRange(start, (end < 0 ? bytes.Count : end + 1) - start);
                    break;
                case Mutation.Token:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[b % Tokens.Length]));
                    break;
            }
        }

        return [.. bytes];
    }

    private static int LineStart(List<byte> bytes, int at)
    {
        while (at > 0 && at <= bytes.Count && bytes[at - 1] != '\n')
        {
            at--;
        }

        return Math.Min(at, bytes.Count);
    }

    // "Billion laughs": each level lists the previous one ten times; expanded, 10^levels strings.
    private static string AliasBomb(int levels)
    {
        var sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  l0: &l0 \"lol\"\n");
        for (var i = 1; i <= levels; i++)
        {
            sb.Append($"  l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        return sb.ToString();
    }
}
