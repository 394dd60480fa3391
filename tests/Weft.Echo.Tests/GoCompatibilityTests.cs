using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

public sealed class GoCompatibilityTests
{
    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("2h45m", 99_000_000_000L)]
    [InlineData("300us", 3_000L)]
    [InlineData("300µs", 3_000L)]
    [InlineData("1ns", 0L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("-1s", -10_000_000L)]
    [InlineData("+2m", 1_200_000_000L)]
    [InlineData("0", 0L)]
    public void Durations_parse_like_time_ParseDuration(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("soon", "time: invalid duration \"soon\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1s2", "time: missing unit in duration \"1s2\"")]
    [InlineData("3x", "time: unknown unit \"x\" in duration \"3x\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("9999999999999999999h", "time: invalid duration \"9999999999999999999h\"")]
    [InlineData("1é", "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"")]
    public void Bad_durations_fail_with_go_messages(string text, string message)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("x-header-set", "X-Header-Set")]
    [InlineData("USER-AGENT", "User-Agent")]
    [InlineData("content-type", "Content-Type")]
    [InlineData("X-Already-Canonical", "X-Already-Canonical")]
    [InlineData("x_under-score", "X_under-Score")]
    [InlineData("bad name", "bad name")]
    public void Header_names_are_canonicalised_like_textproto(string name, string expected) =>
        Assert.Equal(expected, GoHeaderName.Canonicalize(name));
}
