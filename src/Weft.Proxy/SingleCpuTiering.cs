using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Weft.Proxy;

/// <summary>
/// Gives a JIT-compiled Weft process on one CPU the same warm-up as on several. When the runtime sees a
/// single processor (a process pinned to one core, or a container whose CPU limit is one core or less),
/// it multiplies tiered compilation's call-counting delay by ten: hot methods wait about a second, restarted
/// by every new method compiled, before they are counted towards optimization. Under load the proxy then
/// ran partly unoptimized for 30–40 s after it started: h2c cost 100 µs per request in its first seconds
/// against 25–30 µs once warm (docs/performance.md, sixth round). With the multiplier at 1 it is warm
/// within its first 8 s.
/// <para>
/// The runtime reads that setting (DOTNET_TC_DelaySingleProcMultiplier) only from the environment, before
/// any managed code runs; runtimeconfig.json cannot carry it. So `weft` and `weft-proxy` call
/// <see cref="Apply"/> first thing in Main: on Linux, with the JIT, on one CPU, and only when the variable
/// is unset, the process replaces itself once (execve: same PID, same arguments, same descriptors) with
/// the variable set to 1. An operator who sets the variable, to any value, decides. NativeAOT builds have
/// no JIT and never re-execute.
/// </para>
/// </summary>
public static partial class SingleCpuTiering
{
    public const string Variable = "DOTNET_TC_DelaySingleProcMultiplier";

    /// <summary>Whether a process with these properties re-executes itself with <see cref="Variable"/>=1.</summary>
    public static bool ShouldReexecute(bool isLinux, bool jit, int processorCount, string? current) =>
        isLinux && jit && processorCount == 1 && current is null;

    /// <summary>
    /// Re-executes this process with <see cref="Variable"/>=1 when <see cref="ShouldReexecute"/> says so.
    /// Returns only when it did not (not needed, or execve failed: the process then simply runs with the
    /// runtime's default delay).
    /// </summary>
    public static void Apply()
    {
        if (!ShouldReexecute(OperatingSystem.IsLinux(), RuntimeFeature.IsDynamicCodeSupported, Environment.ProcessorCount, Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        string[] arguments;
        try
        {
            // The exact argv this process was started with ("dotnet weft.dll up ..." or "weft up ..."):
            // /proc/self/exe is the same executable, so the new image parses the same command line.
            arguments = SplitNulTerminated(File.ReadAllBytes("/proc/self/cmdline"));
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        if (arguments.Length == 0)
        {
            return;
        }

        // .NET keeps its own copy of the environment on Unix, so the new one is passed explicitly.
        var environment = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{entry.Key}={entry.Value}");
        }

        environment.Add($"{Variable}=1");
        var argv = ToNativeArray(arguments);
        var envp = ToNativeArray(environment);
        try
        {
            _ = Execve("/proc/self/exe", argv, envp);
        }
        finally
        {
            // Reached only when execve failed; the variable is left unset in this process so that the
            // failure changes nothing else.
            Free(argv);
            Free(envp);
        }
    }

    internal static string[] SplitNulTerminated(ReadOnlySpan<byte> bytes)
    {
        var parts = new List<string>();
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)0);
            if (end < 0)
            {
                end = bytes.Length;
            }

            parts.Add(Encoding.UTF8.GetString(bytes[..end]));
            bytes = end < bytes.Length ? bytes[(end + 1)..] : [];
        }

        return [.. parts];
    }

    private static nint[] ToNativeArray(IReadOnlyList<string> strings)
    {
        var array = new nint[strings.Count + 1]; // NULL-terminated
        for (var i = 0; i < strings.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        }

        return array;
    }

    private static void Free(nint[] array)
    {
        foreach (var pointer in array)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, nint[] argv, nint[] envp);
}
