using System.Diagnostics;
using System.Text;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>Runs the built `weft` as a child process, exactly as a user would run it.</summary>
internal static class WeftCli
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The weft.dll built next to this test assembly's configuration.</summary>
    public static string Dll { get; } = FindDll();

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("WEFT_SERVER");
        psi.Environment.Remove("WEFT_TOKEN");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return psi;
    }

    /// <summary>
    /// Makes <paramref name="startInfo"/> start <paramref name="launcher"/> (env, taskset: programs that
    /// set something up and then exec the command they are given), so the PID the test holds is still the
    /// command's. Arguments, environment and redirections stay as they were.
    /// </summary>
    public static ProcessStartInfo ExecThrough(ProcessStartInfo startInfo, string launcher, params string[] launcherArgs)
    {
        var command = startInfo.ArgumentList.ToList();
        startInfo.ArgumentList.Clear();
        foreach (var argument in launcherArgs)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add(startInfo.FileName);
        foreach (var argument in command)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.FileName = launcher;
        return startInfo;
    }

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The echo backend built next to weft, for tests that run it as a child process.</summary>
    public static string EchoDll { get; } = Path.Combine(RepoRoot, "samples", "Echo", "bin", new DirectoryInfo(Path.GetDirectoryName(Dll)!).Parent!.Name, "net10.0", "Weft.Samples.Echo.dll");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string FindDll()
    {
        // tests/Weft.E2E.Tests/bin/<Configuration>/net10.0 → src/Weft.Cli/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var dll = Path.Combine(RepoRoot, "src", "Weft.Cli", "bin", configuration, here.Name, "weft.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Weft.Cli first", dll);
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>A long-running weft process (up, proxy) whose output lines tests wait on.</summary>
internal sealed class WeftProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    private WeftProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static WeftProcess Start(params string[] args) => Start(WeftCli.StartInfo(args));

    /// <summary>Any executable (the NativeAOT weft-proxy), with its output captured like weft's.</summary>
    public static WeftProcess Start(ProcessStartInfo startInfo) => new(Process.Start(WithDefaultSigint(startInfo))!);

    /// <summary>
    /// A test runner started as a background job of a non-interactive shell ignores SIGINT, and its
    /// children inherit that, so Ctrl-C would reach no weft process (which is right for a background
    /// job, and not what these tests are about). Then the child is started through coreutils'
    /// <c>env --default-signal=INT</c>, which restores the default disposition before the exec.
    /// </summary>
    private static ProcessStartInfo WithDefaultSigint(ProcessStartInfo startInfo)
    {
        if (!SigintIgnored.Value)
        {
            return startInfo;
        }

        return WeftCli.ExecThrough(startInfo, "env", "--default-signal=INT");
    }

    // SigIgn in /proc/self/status is a hex mask of ignored signals; SIGINT (2) is bit 1.
    private static readonly Lazy<bool> SigintIgnored = new(() =>
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
            }
        }

        return false;
    });

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits for a stdout line that satisfies <paramref name="predicate"/>; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                var line = _lines.FirstOrDefault(predicate);
                if (line is not null)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no matching line within {timeout.TotalSeconds}s (exited: {_process.HasExited})\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public Task WaitForStderrAsync(string text, TimeSpan timeout) =>
        Eventually.UntilAsync(() => Task.FromResult(Stderr), s => s.Contains(text, StringComparison.Ordinal), timeout, $"stderr to contain \"{text}\"");

    /// <summary>Sends SIGINT (Ctrl-C) and waits for a clean exit.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 2);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (what Kubernetes and systemd send) and waits for a clean exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
