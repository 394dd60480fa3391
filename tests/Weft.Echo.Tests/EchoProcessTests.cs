using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

/// <summary>The echo as a child process, the way E2E tests and local setups run it.</summary>
public sealed partial class EchoProcessTests
{
    [Fact]
    public async Task Child_process_prints_its_port_and_serves_echo()
    {
        using var cts = EchoHttp.Timeout();
        // The project reference copies the program (with its runtimeconfig) next to the tests.
        var program = Path.Combine(AppContext.BaseDirectory, "Weft.Samples.Echo.dll");
        Assert.True(File.Exists(Path.ChangeExtension(program, ".runtimeconfig.json")), "Echo runtimeconfig next to the tests");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { program, "--port", "0", "--pod", "child-pod", "--namespace", "child-ns" })
        {
            start.ArgumentList.Add(argument);
        }

        // Options win over the variables echo-basic reads.
        start.Environment["POD_NAME"] = "from-environment";
        start.Environment["SERVICE_NAME"] = "child-service";

        using var process = Process.Start(start)!;
        try
        {
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginErrorReadLine();

            var first = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.NotNull(first);
            var match = ListeningLine().Match(first);
            Assert.True(match.Success, $"unexpected first line: {first}");
            var uri = new Uri(match.Groups[1].Value);
            Assert.NotEqual(0, uri.Port);

            using var client = new HttpClient();
            var echo = await client.GetFromJsonAsync(new Uri(uri, "/child?x=1"), EchoJsonContext.Default.EchoedRequest, cts.Token);

            Assert.NotNull(echo);
            Assert.Equal("/child?x=1", echo.Path);
            Assert.Equal("child-pod", echo.Pod);
            Assert.Equal("child-ns", echo.Namespace);
            Assert.Equal("child-service", echo.Service);

            var logged = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.StartsWith("Echoing back request made to /child?x=1 to client (127.0.0.1:", logged, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Bad_arguments_exit_with_usage()
    {
        using var cts = EchoHttp.Timeout();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Weft.Samples.Echo.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("http");

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--port: 'http' is not a port number", await error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^listening on (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();
}
