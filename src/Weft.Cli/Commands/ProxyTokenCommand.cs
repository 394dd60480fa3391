using System.CommandLine;
using Weft.Identity;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft x proxy-token --gateway NS/NAME | --sidecar NS`: prints a token that lets a proxy receive that
/// one Gateway's (or namespace's sidecar) config and nothing else, for a proxy process that should not
/// hold the administrator credential: `WEFT_TOKEN=$(weft x proxy-token --gateway ns/gw) weft-proxy --gateway ns/gw`.
/// </summary>
internal static class ProxyTokenCommand
{
    public static Command Create()
    {
        var gateway = new Option<string?>("--gateway") { Description = "The Gateway the proxy serves, as NAMESPACE/NAME." };
        var sidecar = new Option<string?>("--sidecar") { Description = "The namespace whose sidecar config the proxy receives." };
        var command = new Command("proxy-token", "Print a token for one proxy scope, derived from this user's credential.") { gateway, sidecar };
        command.SetHandler((parse, _) =>
        {
            var g = parse.GetValue(gateway);
            var s = parse.GetValue(sidecar);
            if ((g is null) == (s is null))
            {
                throw new CliException("give exactly one of --gateway NAMESPACE/NAME or --sidecar NAMESPACE");
            }

            string scope;
            if (g is not null)
            {
                var (ns, name) = GatewayProxyRunner.ParseGateway(g) ?? throw new CliException($"--gateway \"{g}\" must be NAMESPACE/NAME");
                scope = ProxyTokens.GatewayScope(ns, name);
            }
            else
            {
                scope = ProxyTokens.SidecarScope(s!);
            }

            var held = LocalCredential.ReadForClient();
            if (held is null || !LocalCredential.IsAdminToken(held))
            {
                throw new CliException($"making a proxy token needs the administrator credential ({LocalCredential.FilePath}, made by `weft up`, or ${LocalCredential.TokenVariable})");
            }

            Console.WriteLine(ProxyTokens.Mint(held, scope));
            return Task.FromResult(0);
        });
        return command;
    }
}
