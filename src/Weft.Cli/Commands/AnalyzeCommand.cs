using System.CommandLine;
using k8s;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Hosting;
using Weft.Translation;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft analyze -f PATH…`: runs the real codec and translator on files, with no server, and prints
/// every finding: YAML and schema errors with file and line, then each resource whose conditions say
/// it is not working, with the reason. Exit code 1 when anything is wrong.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files(required: true);
        var command = new Command("analyze", "Check files for errors and for resources that would not work, without a running control plane.") { files };
        command.SetHandler((parse, _) =>
        {
            var decoded = YamlCodec.DecodePaths(ApplyCommand.ExpandFiles(parse.GetValue(files)!));
            var problems = 0;
            foreach (var d in decoded.Diagnostics)
            {
                Console.WriteLine(d.ToString());
                problems += d.Severity == DiagnosticSeverity.Error ? 1 : 0;
            }

            var objects = decoded.Resources.Select(r => r.Object).ToList();
            var snapshot = ResourceSnapshot.From(objects.Concat(BuiltInClassIfMissing(objects)));
            var result = Translator.Translate(snapshot, new TranslatorOptions());
            foreach (var d in result.Diagnostics)
            {
                Console.WriteLine(d.ToString());
                problems += d.Severity == DiagnosticSeverity.Error ? 1 : 0;
            }

            foreach (var s in result.Statuses)
            {
                foreach (var line in StatusProblems.Describe(s.Key, s.Status))
                {
                    Console.WriteLine(line);
                    problems++;
                }
            }

            Console.WriteLine(problems == 0 ? "✔ no problems found" : $"{problems} problem(s) found");
            return Task.FromResult(problems == 0 ? 0 : 1);
        });
        return command;
    }

    /// <summary>The GatewayClass `weft` the control plane provides, when the files don't define it.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> BuiltInClassIfMissing(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        if (!objects.OfType<GatewayClass>().Any(c => c.Metadata.Name == ControlPlaneOptions.DefaultGatewayClassName))
        {
            yield return new GatewayClass
            {
                Metadata = new V1ObjectMeta { Name = ControlPlaneOptions.DefaultGatewayClassName },
                Spec = new GatewayClassSpec { ControllerName = ControlPlaneOptions.DefaultControllerName },
            };
        }
    }
}

/// <summary>Turns conditions that report a problem into one line each.</summary>
internal static class StatusProblems
{
    public static IEnumerable<string> Describe(ResourceKey key, object status)
    {
        switch (status)
        {
            case GatewayStatus g:
                foreach (var c in g.Conditions.Where(Bad))
                {
                    yield return $"{key}: {c.Type}={c.Status} ({c.Reason}): {c.Message}";
                }

                foreach (var l in g.Listeners)
                {
                    foreach (var c in l.Conditions.Where(Bad))
                    {
                        yield return $"{key} listener {l.Name}: {c.Type}={c.Status} ({c.Reason}): {c.Message}";
                    }
                }

                break;
            case RouteStatus r:
                foreach (var p in r.Parents)
                {
                    foreach (var c in p.Conditions.Where(Bad))
                    {
                        yield return $"{key} parent {p.ParentRef.Namespace ?? key.Namespace}/{p.ParentRef.Name}: {c.Type}={c.Status} ({c.Reason}): {c.Message}";
                    }
                }

                break;
        }
    }

    // Conflicted is the one condition whose healthy value is False.
    private static bool Bad(V1Condition c) => c.Type == Conditions.Conflicted ? c.Status == "True" : c.Status != "True";
}
