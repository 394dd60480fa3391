using System.CommandLine;
using Weft.Api.Yaml;

namespace Weft.Cli.Commands;

/// <summary>`weft apply -f` and `weft delete -f`: change a running control plane, like kubectl.</summary>
internal static class ApplyCommand
{
    public static Command Create(bool delete)
    {
        var server = CommonOptions.Server();
        var files = CommonOptions.Files(required: true);
        var command = new Command(delete ? "delete" : "apply", delete
            ? "Delete the resources named in files from a running control plane."
            : "Create or update resources in a running control plane from files.") { files, server };
        command.SetHandler(async (parse, ct) =>
        {
            using var client = new AdminClient(parse.GetValue(server)!);
            var failed = false;
            foreach (var file in ExpandFiles(parse.GetValue(files)!))
            {
                failed |= !await ChangeAsync(client, file, delete, ct).ConfigureAwait(false);
            }

            return failed ? 1 : 0;
        });
        return command;
    }

    // Applies (or deletes) what is valid in one file and reports the rest: each refused document
    // with file, line and code, the warnings, and what the translator says about what was applied.
    // False when anything was refused.
    private static async Task<bool> ChangeAsync(AdminClient client, string file, bool delete, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = file == "-" ? await ReadStdinAsync(ct).ConfigureAwait(false) : await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException($"{file}: {e.Message}");
        }

        // Decode locally first: the same codec as the server; a file with nothing valid needs no round trip.
        var name = file == "-" ? "<stdin>" : file;
        var local = YamlCodec.DecodeUtf8(bytes, name);
        if (local.HasErrors && local.Resources.Count == 0)
        {
            foreach (var d in local.Diagnostics)
            {
                await Console.Error.WriteLineAsync(d.ToString()).ConfigureAwait(false);
            }

            return false;
        }

        var text = Utf8Text.Decode(bytes, name, out _)!;
        var (ok, body) = await client.PostYamlAsync(delete ? "api/v1/delete" : "api/v1/apply", text, file == "-" ? name : Path.GetFullPath(file), ct).ConfigureAwait(false);
        if (!ok && body["refused"] is null)
        {
            // A refusal of the whole request (too large, busy) or an older control plane.
            foreach (var d in body["diagnostics"]?.AsArray() ?? [])
            {
                await Console.Error.WriteLineAsync(d!.GetValue<string>()).ConfigureAwait(false);
            }

            if (body["error"] is { } error)
            {
                await Console.Error.WriteLineAsync($"error: {error.GetValue<string>()}").ConfigureAwait(false);
            }

            return false;
        }

        foreach (var r in body["results"]?.AsArray() ?? [])
        {
            Console.WriteLine($"{r!["resource"]} {r["outcome"]}");
            if (r["note"] is { } note)
            {
                await Console.Error.WriteLineAsync($"warning: {r["resource"]}: {note.GetValue<string>()}").ConfigureAwait(false);
            }
        }

        var refused = body["refused"]?.AsArray() ?? [];
        foreach (var line in refused.Concat(body["notes"]?.AsArray() ?? []))
        {
            await Console.Error.WriteLineAsync(line!.GetValue<string>()).ConfigureAwait(false);
        }

        foreach (var finding in body["findings"]?.AsArray() ?? [])
        {
            await Console.Error.WriteLineAsync($"warning: {finding!.GetValue<string>()}").ConfigureAwait(false);
        }

        if (refused.Count > 0)
        {
            var what = refused.Count == 1 ? "1 document was" : $"{refused.Count} documents were";
            var rest = (body["results"]?.AsArray().Count ?? 0) > 0 ? (delete ? "; the others were deleted" : "; the others were applied") : "";
            await Console.Error.WriteLineAsync($"error: {name}: {what} refused{rest}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken ct)
    {
        // Bytes, not Console.In: a bad byte must be reported, not replaced with U+FFFD.
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        await stdin.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public static IEnumerable<string> ExpandFiles(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                foreach (var f in Directory.EnumerateFiles(p, "*.*", SearchOption.AllDirectories)
                             .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                {
                    yield return f;
                }
            }
            else if (p == "-" || File.Exists(p))
            {
                yield return p;
            }
            else
            {
                throw new CliException($"{p}: no such file or directory");
            }
        }
    }
}
