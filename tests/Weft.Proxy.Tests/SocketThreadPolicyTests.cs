using Xunit;

namespace Weft.Proxy.Tests;

public sealed class SocketThreadPolicyTests
{
    [Theory]
    [InlineData(true, null, true)]        // Linux, unset: socket threads go batch
    [InlineData(true, "batch", true)]
    [InlineData(true, "", true)]          // an empty value is no opt-out
    [InlineData(true, "normal", false)]   // the operator's opt-out
    [InlineData(true, " Normal ", false)]
    [InlineData(false, null, false)]      // not Linux: no /proc, no SCHED_BATCH
    public void Applies_on_linux_unless_the_operator_says_normal(bool linux, string? setting, bool expected) =>
        Assert.Equal(expected, SocketThreadPolicy.Enabled(linux, setting));
}
