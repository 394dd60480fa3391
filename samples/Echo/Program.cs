using System.Security.Cryptography;
using Weft.Samples.Echo;

// The conformance-style echo backend as a process: parse the command line (falling back to
// echo-basic's environment variables), start, print the bound address, run until stopped.
EchoCommandLine commandLine;
try
{
    commandLine = EchoCommandLine.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"echo: {e.Message}");
    await Console.Error.WriteLineAsync(EchoCommandLine.Usage);
    return 2;
}
catch (Exception e) when (e is IOException or CryptographicException)
{
    // Unreadable TLS files: say which, without a stack trace.
    await Console.Error.WriteLineAsync($"echo: {e.Message}");
    return 1;
}

if (commandLine.ShowHelp)
{
    await Console.Out.WriteLineAsync(EchoCommandLine.Usage);
    return 0;
}

EchoServer server;
try
{
    server = await EchoServer.StartAsync(commandLine.Options with { RequestLog = Console.Out });
}
catch (IOException e)
{
    // Typically "address already in use".
    await Console.Error.WriteLineAsync($"echo: {e.Message}");
    return 1;
}

await using (server)
{
    // Parents and tests wait for exactly this first line to learn the port (port 0 included).
    await Console.Out.WriteLineAsync($"listening on http://{server.EndPoint}");
    if (server.H2cEndPoint is { } h2c)
    {
        await Console.Out.WriteLineAsync($"h2c-only port listening on http://{h2c}");
    }

    if (server.HttpsEndPoint is { } https)
    {
        await Console.Out.WriteLineAsync($"tls port listening on https://{https}");
    }

    // The host's console lifetime turns SIGTERM and Ctrl+C into a graceful stop.
    await server.WaitForShutdownAsync();
}

return 0;
