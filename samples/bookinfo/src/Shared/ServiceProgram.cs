namespace Weft.Bookinfo;

/// <summary>What <see cref="ServiceProgram"/> needs from a started service.</summary>
internal interface IRunningService : IAsyncDisposable
{
    Uri Uri { get; }

    Task WaitForShutdownAsync(CancellationToken cancellationToken = default);
}

/// <summary>The shape of every service's <c>Main</c>: parse, start, print the bound address, run until stopped.</summary>
internal static class ServiceProgram
{
    public static async Task<int> RunAsync<TOptions>(
        string program,
        string usage,
        IReadOnlyList<string> args,
        Func<IReadOnlyList<string>, Func<string, string?>, TOptions?> parse,
        Func<TOptions, Task<IRunningService>> start)
        where TOptions : class
    {
        TOptions? options;
        try
        {
            // null means --help.
            options = parse(args, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        if (options is null)
        {
            await Console.Out.WriteLineAsync(usage);
            return 0;
        }

        IRunningService server;
        try
        {
            server = await start(options);
        }
        catch (IOException e)
        {
            // Typically "address already in use".
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            return 1;
        }

        await using (server)
        {
            // Parents and tests wait for exactly this first line to learn the port (port 0 included).
            await Console.Out.WriteLineAsync($"listening on {server.Uri.GetLeftPart(UriPartial.Authority)}");
            await Console.Out.FlushAsync();
            // The host's console lifetime turns SIGTERM and Ctrl+C into a graceful stop.
            await server.WaitForShutdownAsync();
        }

        return 0;
    }
}
