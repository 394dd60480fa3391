using System.Net;
using Microsoft.Extensions.Logging;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

public sealed class FailureLogTests
{
    [Fact]
    public async Task An_outage_logs_one_line_per_cluster_and_flag_per_second_without_stack_traces()
    {
        var capture = new LogCapture();
        using var logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        var time = new ManualTime();
        await using var proxy = new GatewayProxy(loggerFactory: logging, timeProvider: time);
        var port = FreePort.Next();
        var result = await proxy.ApplyAsync(
            Gateway([Http(port, Listener("http", null, Host("*", Route("down", To("down")))))], Cluster("down", FreePort.Next())),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        using var client = Http.Client();
        capture.Lines.Clear();

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(port, "h", "/")).Status);
        }

        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(port, "h", "/")).Status);

        var lines = capture.Lines.ToArray();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("UF", l.Text, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("   at ", l.Text, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l.Text));
        Assert.Contains("199 more in the last 1.5s", lines[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_that_stops_within_the_window_still_ends_with_its_count()
    {
        var capture = new LogCapture();
        using var logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        var time = new ManualTime();
        await using var proxy = new GatewayProxy(loggerFactory: logging, timeProvider: time);
        var port = FreePort.Next();
        var result = await proxy.ApplyAsync(
            Gateway([Http(port, Listener("http", null, Host("*", Route("down", To("down")))))], Cluster("down", FreePort.Next())),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        using var client = Http.Client();
        capture.Lines.Clear();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(port, "h", "/")).Status);
        }

        Assert.Single(capture.Lines);
        // No further request: the pending count is written when the window ends.
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Single(capture.Lines);
        time.Advance(TimeSpan.FromSeconds(0.5));
        var lines = capture.Lines.ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Contains("upstream UF cluster down: …4 more in the last 1s", lines[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', lines[1].Text);

        // Nothing pending: a later window writes nothing more.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, capture.Lines.Count);
    }
}
