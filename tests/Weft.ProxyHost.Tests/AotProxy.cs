using System.Diagnostics;
using System.Text;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.ProxyHost.Tests;

/// <summary>
/// Publishes src/Weft.ProxyHost NativeAOT once per test run (1–3 minutes cold, seconds when nothing
/// changed) into this test assembly's folder, with its own artifacts path so a concurrent Debug build
/// is not disturbed. Publishing needs clang and zlib1g-dev: without them every test here fails with
/// that message, never skips.
/// </summary>
public sealed class AotProxy : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The published native executable.</summary>
    public string Executable { get; private set; } = "";

    public string PublishDir { get; } = Path.Combine(AppContext.BaseDirectory, "weft-proxy-aot");

    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the weft-proxy tests publish for linux-x64; run them on Linux");
        }

        if (FindOnPath("clang") is null)
        {
            throw new InvalidOperationException(
                "NativeAOT publishing of weft-proxy needs clang, which is not on PATH: " +
                "apt-get install -y clang zlib1g-dev (.ci/run installs them)");
        }

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WeftCli.RepoRoot,
        };
        foreach (var a in new[]
                 {
                     "publish", Path.Combine(WeftCli.RepoRoot, "src", "Weft.ProxyHost", "Weft.ProxyHost.csproj"),
                     "-c", "Release", "-r", "linux-x64",
                     "--artifacts-path", Path.Combine(AppContext.BaseDirectory, "weft-proxy-aot-build"),
                     "-o", PublishDir,
                     "--disable-build-servers", "-nologo",
                 })
        {
            psi.ArgumentList.Add(a);
        }

        // The test host runs under `dotnet test`: do not let its MSBuild settings leak into this build.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBuild", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";

        var started = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var cts = new CancellationTokenSource(PublishTimeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet publish of weft-proxy did not finish within {PublishTimeout.TotalMinutes} minutes:\n{Tail(output)}");
            }
        }

        // WaitForExitAsync returns once the process exits; wait for the redirected output to drain too.
        process.WaitForExit();
        PublishTime = started.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of weft-proxy failed (exit {process.ExitCode}):\n{Tail(output)}");
        }

        Executable = Path.Combine(PublishDir, "weft-proxy");
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException("dotnet publish succeeded but wrote no weft-proxy executable", Executable);
        }

        // The trim/AOT analysis must stay clean: a warning here means something on the proxy's path may break when trimmed.
        var warnings = output.ToString().Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
        if (warnings.Count > 0)
        {
            throw new InvalidOperationException("publishing weft-proxy gave warnings:\n" + string.Join('\n', warnings));
        }
    }

    /// <summary>Starts weft-proxy with <paramref name="args"/>, output captured.</summary>
    internal WeftProcess Start(params string[] args) => WeftProcess.Start(StartInfo(args));

    /// <summary>Runs weft-proxy to completion (for commands that exit by themselves).</summary>
    internal Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs weft-proxy to completion with these environment variables set.</summary>
    internal async Task<CliResult> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var psi = StartInfo(args);
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var lines = output.ToString().Split('\n');
            return string.Join('\n', lines.TakeLast(60));
        }
    }
}

[CollectionDefinition("weft-proxy")]
public sealed class AotProxyCollection : ICollectionFixture<AotProxy>;
