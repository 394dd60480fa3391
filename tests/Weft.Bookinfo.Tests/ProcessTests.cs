using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Weft.Bookinfo.Tests;

/// <summary>The services as child processes, the way `weft demo` and local meshes run them.</summary>
public sealed partial class ProcessTests
{
    [Theory]
    [InlineData("Weft.Bookinfo.Details", "/details/0", "\"author\":\"William Shakespeare\"")]
    [InlineData("Weft.Bookinfo.Ratings", "/ratings/0", "\"Reviewer1\":5")]
    [InlineData("Weft.Bookinfo.Reviews", "/reviews/0", "\"reviewer\": \"Reviewer2\"")]
    public async Task Child_process_prints_its_port_first_and_serves(string assembly, string path, string expected)
    {
        using var cts = Deadline.Start();
        using var process = Start(assembly, new Dictionary<string, string> { ["PORT"] = "0" });
        try
        {
            var uri = await ListeningUri(process, cts.Token);
            using var client = new HttpClient();
            Assert.Contains(expected, await client.GetStringAsync(new Uri(uri, path), cts.Token), StringComparison.Ordinal);
        }
        finally
        {
            await Stop(process);
        }
    }

    [Fact]
    public async Task ProductPage_reaches_its_upstreams_by_name_through_HTTP_PROXY()
    {
        using var cts = Deadline.Start();
        // A stand-in for Weft's local mesh proxy: it gets the absolute-form requests for http://details:9080/...
        await using var proxy = await FakeUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(
                context.Response,
                context.Request.Host.Host == "details"
                    ? "{\"id\":0,\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\"}"
                    : "{\"id\": \"0\",\"podname\": \"via-proxy\",\"clustername\": \"null\",\"reviews\": [{\"reviewer\": \"Reviewer1\", \"text\": \"t\"}]}");
        });
        using var process = Start("Weft.Bookinfo.ProductPage", new Dictionary<string, string>
        {
            ["HTTP_PROXY"] = proxy.Uri.ToString(),
            ["http_proxy"] = proxy.Uri.ToString(),
        });
        try
        {
            var uri = await ListeningUri(process, cts.Token);
            using var client = new HttpClient();
            var page = await client.GetStringAsync(new Uri(uri, "/productpage"), cts.Token);
            Assert.Contains("PublisherA", page, StringComparison.Ordinal);
            Assert.Contains("via-proxy", page, StringComparison.Ordinal);
            Assert.Equal(["details:9080/details/0", "reviews:9080/reviews/0"], proxy.Received.Select(r => r.Headers["host"] + r.PathAndQuery));
        }
        finally
        {
            await Stop(process);
        }
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_usage()
    {
        using var cts = Deadline.Start();
        using var process = Start("Weft.Bookinfo.Ratings", [], "--port", "http");
        var error = await process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--port: 'http' is not a port number", error, StringComparison.Ordinal);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    private static Process Start(string assembly, Dictionary<string, string> environment, params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args.Length > 0 ? args : ["--port", "0"])
        {
            start.ArgumentList.Add(arg);
        }

        // Only the variables the test means: nothing inherited may bypass or add a proxy.
        foreach (var name in new[] { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "BIND_ADDRESS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static async Task<Uri> ListeningUri(Process process, CancellationToken cancellationToken)
    {
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        var first = await process.StandardOutput.ReadLineAsync(cancellationToken);
        Assert.NotNull(first);
        var match = ListeningLine().Match(first);
        Assert.True(match.Success, $"unexpected first line: {first}");
        var uri = new Uri(match.Groups[1].Value);
        Assert.NotEqual(0, uri.Port);
        Assert.Equal("127.0.0.1", uri.Host);
        return uri;
    }

    private static async Task Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    [GeneratedRegex(@"^listening on (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();
}
