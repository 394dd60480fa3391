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
                string text;
                try
                {
                    text = file == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new CliException($"{file}: {e.Message}");
                }

                // Decode locally first: the same codec as the server, and errors need no round trip.
                var local = YamlCodec.Decode(text, file);
                if (local.HasErrors)
                {
                    foreach (var d in local.Diagnostics)
                    {
                        await Console.Error.WriteLineAsync(d.ToString()).ConfigureAwait(false);
                    }

                    failed = true;
                    continue;
                }

                var (ok, body) = await client.PostYamlAsync(delete ? "api/v1/delete" : "api/v1/apply", text, Path.GetFullPath(file), ct).ConfigureAwait(false);
                if (!ok)
                {
                    foreach (var d in body["diagnostics"]?.AsArray() ?? [])
                    {
                        await Console.Error.WriteLineAsync(d!.GetValue<string>()).ConfigureAwait(false);
                    }

                    failed = true;
                    continue;
                }

                foreach (var r in body["results"]!.AsArray())
                {
                    Console.WriteLine($"{r!["resource"]} {r["outcome"]}");
                }

                foreach (var note in body["notes"]?.AsArray() ?? [])
                {
                    await Console.Error.WriteLineAsync(note!.GetValue<string>()).ConfigureAwait(false);
                }
            }

            return failed ? 1 : 0;
        });
        return command;
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
