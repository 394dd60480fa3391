using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.Cli.Output;

namespace Weft.Cli.Commands;

/// <summary>`weft get KIND [NAME]`: kubectl-style tables, or whole resources with status (-o yaml|json).</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var kindArg = new Argument<string>("kind") { Description = "gatewayclasses, gateways, httproutes, grpcroutes, services, referencegrants, namespaces, endpointslices, secrets, workloadentries, serviceentries" };
        var nameArg = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "Only this resource." };
        var ns = CommonOptions.Namespace();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "List across all namespaces." };
        var output = new Option<string?>("--output", "-o") { Description = "yaml or json: whole resources with status; wide: the table with where each object came from (SOURCE)." };
        output.AcceptOnlyFromAmong("yaml", "json", "wide");
        var server = CommonOptions.Server();
        var command = new Command("get", "List resources of a running control plane with their status.") { kindArg, nameArg, ns, all, output, server };
        command.SetHandler(async (parse, ct) =>
        {
            var kindName = parse.GetValue(kindArg)!;
            var kind = ResourceKinds.FindByName(kindName)
                ?? throw new CliException($"unknown resource type \"{kindName}\"; known: {string.Join(", ", ResourceKinds.All.Select(k => k.Plural))}");
            var allNamespaces = parse.GetValue(all);
            var namespaceFilter = kind.Namespaced && !allNamespaces ? parse.GetValue(ns) ?? "default" : null;
            var name = parse.GetValue(nameArg);
            using var client = new AdminClient(parse.GetValue(server)!);
            var path = $"api/v1/{kind.Plural}" + (namespaceFilter is null ? "" : $"?namespace={Uri.EscapeDataString(namespaceFilter)}");
            var body = await client.GetAsync(path, ct).ConfigureAwait(false);
            var items = body["items"]!.AsArray().Where(i => name is null || (string?)i!["metadata"]!["name"] == name).ToList();
            if (name is not null && items.Count == 0)
            {
                throw new CliException($"{kind.Plural} \"{name}\" not found" + (namespaceFilter is null ? "" : $" in namespace {namespaceFilter}"));
            }

            switch (parse.GetValue(output))
            {
                case "yaml":
                case "json":
                    JsonNode result = name is not null
                        ? items[0]!.DeepClone()
                        : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. items.Select(i => i!.DeepClone())]) };
                    Console.Write(parse.GetValue(output) == "json" ? result.ToJsonString(new() { WriteIndented = true }) + "\n" : YamlCodec.ToYaml(result));
                    break;
                default:
                    if (items.Count == 0)
                    {
                        Console.Error.WriteLine(namespaceFilter is null ? "No resources found" : $"No resources found in {namespaceFilter} namespace.");
                        break;
                    }

                    ResourceTables.Build(kind, items!, showNamespace: kind.Namespaced && allNamespaces, DateTimeOffset.UtcNow, wide: parse.GetValue(output) == "wide").WriteTo(Console.Out);
                    break;
            }

            return 0;
        });
        return command;
    }
}
