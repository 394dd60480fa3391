using System.CommandLine;
using Weft.Cli.Output;

namespace Weft.Cli.Commands;

/// <summary>`weft proxy-status`: each connected proxy and whether it serves the latest config (SYNCED), as istioctl shows it.</summary>
internal static class ProxyStatusCommand
{
    public static Command Create()
    {
        var server = CommonOptions.Server();
        var command = new Command("proxy-status", "Show the proxies connected to the control plane and their config versions.") { server };
        command.SetHandler(async (parse, ct) =>
        {
            using var client = new AdminClient(parse.GetValue(server)!);
            var proxies = (await client.GetAsync("api/v1/proxies", ct).ConfigureAwait(false)).AsArray();
            var table = new TableWriter("NAME", "GATEWAY", "SENT", "ACKED", "STATUS");
            foreach (var p in proxies)
            {
                var sent = p!["sentVersion"]?.ToString() ?? "";
                var acked = p["ackedVersion"]?.ToString() ?? "";
                var error = p["lastError"]?.ToString();
                var state = error is not null ? $"ERROR: {error}" : sent.Length > 0 && sent == acked ? "SYNCED" : "STALE";
                table.Add(p["nodeId"]?.ToString() ?? "", p["gateway"]?.ToString() ?? "", sent, acked, state);
            }

            if (table.Count == 0)
            {
                Console.WriteLine("no proxies connected");
                return 0;
            }

            table.WriteTo(Console.Out);
            return 0;
        });
        return command;
    }
}
