using System.CommandLine;
using Weft.Ir;

namespace Weft.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var command = new Command("version", "Print the client's version and the running control plane's.") { server };
        command.SetHandler(async (parse, ct) =>
        {
            Console.WriteLine($"client version: {WeftVersion.Current}");
            using var client = new AdminClient(parse.GetValue(server)!);
            try
            {
                var body = await client.GetAsync("version", ct).ConfigureAwait(false);
                Console.WriteLine($"control plane version: {body["version"]} (at {client.Server})");
            }
            catch (CliException)
            {
                Console.WriteLine($"control plane: none running at {client.Server}");
            }

            return 0;
        });
        return command;
    }
}
