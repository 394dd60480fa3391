namespace Weft.Translation.Tests;

public sealed class GatewayDurationTests
{
    [Theory]
    [InlineData("1h", 3_600_000)]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("0s", 0)]
    [InlineData("2m1s500ms", 121_500)]
    [InlineData("99999ms", 99_999)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    public void Parses(string text, long ms)
    {
        Assert.True(GatewayDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("1d")]
    [InlineData("100000s")]
    [InlineData("1h1m1s1ms1h")]
    [InlineData("1 s")]
    [InlineData("10us")]
    public void Rejects(string? text) => Assert.False(GatewayDuration.TryParse(text, out _));
}
