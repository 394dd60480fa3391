using System.Text;
using Xunit;

namespace Weft.Proxy.Tests;

public sealed class SingleCpuTieringTests
{
    [Theory]
    [InlineData(true, true, 1, null, true)]     // one CPU, JIT, Linux, unset: re-execute
    [InlineData(true, true, 2, null, false)]    // several CPUs: the runtime's delay is already short
    [InlineData(true, true, 1, "10", false)]    // the operator's value, whatever it is, wins
    [InlineData(true, true, 1, "1", false)]     // already re-executed (or set): never loops
    [InlineData(true, true, 1, "", false)]      // set to empty is still set
    [InlineData(true, false, 1, null, false)]   // NativeAOT: no JIT to tier
    [InlineData(false, true, 1, null, false)]   // not Linux: no /proc, no execve
    public void Reexecutes_only_a_jit_process_on_one_cpu_without_an_operator_setting(bool linux, bool jit, int cpus, string? current, bool expected) =>
        Assert.Equal(expected, SingleCpuTiering.ShouldReexecute(linux, jit, cpus, current));

    [Fact]
    public void Command_line_splits_into_the_original_arguments()
    {
        var cmdline = Encoding.UTF8.GetBytes("dotnet\0/opt/weft/weft.dll\0up\0-f\0dir with spaces\0\0--name=é\0");
        Assert.Equal(["dotnet", "/opt/weft/weft.dll", "up", "-f", "dir with spaces", "", "--name=é"], SingleCpuTiering.SplitNulTerminated(cmdline));
    }

    [Fact]
    public void Command_line_without_a_final_nul_keeps_its_last_argument() =>
        Assert.Equal(["weft", "version"], SingleCpuTiering.SplitNulTerminated("weft\0version"u8));
}
