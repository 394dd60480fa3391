namespace Weft.Bookinfo;

/// <summary>The shape of every service's <c>Main</c>: parse, start, print the bound address, run until stopped.</summary>
internal static class ServiceProgram
{
    public static async Task<int> RunAsync<TServer>(
        string program,
        string usage,
        IReadOnlyList<string> args,
        Func<IReadOnlyList<string>, Func<string, string?>, (TServer Options, bool ShowHelp)> parse,
        Func<TServer, Task<(IAsyncDisposable Server, Uri Uri, Func<CancellationToken, Task> WaitForShutdown)>> start)
    {
        TServer options;
        try
        {
            var parsed = parse(args, Environment.GetEnvironmentVariable);
            if (parsed.ShowHelp)
            {
                await Console.Out.WriteLineAsync(usage);
                return 0;
            }

            options = parsed.Options;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        (IAsyncDisposable Server, Uri Uri, Func<CancellationToken, Task> WaitForShutdown) running;
        try
        {
            running = await start(options);
        }
        catch (IOException e)
        {
            // Typically "address already in use".
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            return 1;
        }

        await using (running.Server)
        {
            // Parents and tests wait for exactly this first line to learn the port (port 0 included).
            await Console.Out.WriteLineAsync($"listening on {running.Uri.GetLeftPart(UriPartial.Authority)}");
            await Console.Out.FlushAsync();
            await running.WaitForShutdown(CancellationToken.None);
        }

        return 0;
    }
}
