using System.CommandLine;
using Microsoft.Extensions.Logging;
using Weft.Cli.Workloads;
using Weft.ControlPlane.Hosting;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft demo [bookinfo]`: the whole getting-started on this machine in one command. Starts the
/// control plane on the Bookinfo manifests (samples/bookinfo: platform/kube/bookinfo.yaml,
/// bookinfo-versions.yaml, gateway-api/bookinfo-gateway.yaml), runs the six Bookinfo workloads as
/// mesh workloads (as `weft run` would: own loopback address, sidecar, WorkloadEntry), serves the
/// Gateway on http://localhost:8080 and prints the product page's URL. Ctrl-C stops everything.
/// `weft get`, `weft apply -f samples/bookinfo/gateway-api/route-reviews-v1.yaml` and `weft x explain`
/// work against it as against `weft up`.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The Bookinfo workloads, as bookinfo.yaml's Deployments declare them.</summary>
    private static readonly (string Name, string Project, Dictionary<string, string> Labels, Dictionary<string, string> Env)[] Workloads =
    [
        ("details-v1", "Details", new() { ["app"] = "details", ["version"] = "v1" }, new()),
        ("ratings-v1", "Ratings", new() { ["app"] = "ratings", ["version"] = "v1" }, new()),
        ("reviews-v1", "Reviews", new() { ["app"] = "reviews", ["version"] = "v1" }, new() { ["SERVICE_VERSION"] = "v1", ["ENABLE_RATINGS"] = "false" }),
        ("reviews-v2", "Reviews", new() { ["app"] = "reviews", ["version"] = "v2" }, new() { ["SERVICE_VERSION"] = "v2", ["ENABLE_RATINGS"] = "true", ["STAR_COLOR"] = "black" }),
        ("reviews-v3", "Reviews", new() { ["app"] = "reviews", ["version"] = "v3" }, new() { ["SERVICE_VERSION"] = "v3", ["ENABLE_RATINGS"] = "true", ["STAR_COLOR"] = "red" }),
        ("productpage-v1", "ProductPage", new() { ["app"] = "productpage", ["version"] = "v1" }, new()),
    ];

    public static Command Create()
    {
        var sample = new Argument<string>("sample") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "bookinfo", Description = "The sample to run (bookinfo)." };
        sample.AcceptOnlyFromAmong("bookinfo");
        var offset = new Option<int>("--port-offset") { Description = "Added to every listener port (80 is served on 8080).", DefaultValueFactory = _ => 8000 };
        var xdsPort = new Option<int>("--xds-port") { DefaultValueFactory = _ => 15010, Description = "The distribution (gRPC) port." };
        var adminPort = new Option<int>("--admin-port") { DefaultValueFactory = _ => 15014, Description = "The API port `weft get/apply` use." };
        var logLevel = LoggingSetup.LevelOption();
        var command = new Command("demo", "Run the Bookinfo getting-started on this machine: control plane, gateway and the six Bookinfo workloads.") { sample, offset, xdsPort, adminPort, logLevel };
        command.SetHandler(async (parse, ct) =>
        {
            var gatewayOptions = ProxySettingOptions.FromEnvironment();
            var sidecarOptions = ProxySettingOptions.Sidecar();
            var root = RepoLayout.FindRoot();
            var bookinfo = Path.Combine(root, "samples", "bookinfo");
            string[] manifests =
            [
                Path.Combine(bookinfo, "platform", "kube", "bookinfo.yaml"),
                Path.Combine(bookinfo, "platform", "kube", "bookinfo-versions.yaml"),
                Path.Combine(bookinfo, "gateway-api", "bookinfo-gateway.yaml"),
            ];
            var dlls = Workloads.Select(w => RepoLayout.SampleDll(root, w.Project)).ToList();
            var missing = dlls.FirstOrDefault(d => !File.Exists(d));
            if (missing is not null)
            {
                throw new CliException($"{missing} is not built; run `dotnet build Weft.slnx` (or start the demo with `dotnet run --project src/Weft.Cli -- demo`, which builds it)");
            }

            using var loggers = LoggingSetup.Create(parse.GetValue(logLevel));
            var options = new ControlPlaneOptions
            {
                Paths = manifests,
                PortOffset = parse.GetValue(offset),
                XdsPort = parse.GetValue(xdsPort),
                AdminPort = parse.GetValue(adminPort),
            };
            var output = new SerializedConsole();
            var runtime = await LocalRuntime.StartAsync(options, loggers, gatewayOptions, output.WriteLine, ct).ConfigureAwait(false);
            await using (runtime.ConfigureAwait(false))
            {
                using var api = new AdminClient(runtime.Server.AdminAddress.ToString(), runtime.Server.Credential);
                var runners = new List<WorkloadRunner>();
                try
                {
                    // Workloads log only problems; their request lines would drown the console.
                    var starts = new List<Task>();
                    for (var i = 0; i < Workloads.Length; i++)
                    {
                        var w = Workloads[i];
                        var runner = new WorkloadRunner(new WorkloadSpec
                        {
                            Name = w.Name,
                            Namespace = "default",
                            Labels = w.Labels,
                            Port = 9080,
                            FileName = "dotnet",
                            Arguments = [dlls[i]],
                            Environment = w.Env,
                            WorkingDirectory = Path.GetDirectoryName(dlls[i]),
                        }, api, runtime.Server.XdsAddress, loggers, line => output.WriteLine(line), sidecarOptions);
                        runners.Add(runner);
                        starts.Add(runner.StartAsync(ct));
                    }

                    await Task.WhenAll(starts).ConfigureAwait(false);
                    foreach (var r in runners)
                    {
                        output.WriteLine($"workload default/{r.Spec.Name} on {r.Address}:{r.Spec.Port}");
                    }

                    var port = 80 + options.PortOffset;
                    output.WriteLine("");
                    output.WriteLine($"Bookinfo is up: http://localhost:{port}/productpage");
                    output.WriteLine($"  steer reviews: weft apply -f {Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(bookinfo, "gateway-api", "route-reviews-v1.yaml"))}");
                    output.WriteLine("  press Ctrl-C to stop");
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine("stopping");
                }
                finally
                {
                    await Task.WhenAll(runners.Select(r => r.DisposeAsync().AsTask())).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}

/// <summary>Writes whole lines from many threads without interleaving them.</summary>
internal sealed class SerializedConsole
{
    private readonly Lock _gate = new();

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            Console.WriteLine(line);
        }
    }
}

/// <summary>Where the repository's samples are, relative to the running weft.</summary>
internal static class RepoLayout
{
    public static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")) && Directory.Exists(Path.Combine(dir.FullName, "samples", "bookinfo")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new CliException("the Weft repository (Weft.slnx with samples/bookinfo) was not found above the current directory; run `weft demo` from a clone");
    }

    /// <summary>A Bookinfo service's dll, built in the same configuration as this weft.</summary>
    public static string SampleDll(string root, string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        return Path.Combine(root, "samples", "bookinfo", "src", project, "bin", configuration, "net10.0", $"Weft.Bookinfo.{project}.dll");
    }
}
