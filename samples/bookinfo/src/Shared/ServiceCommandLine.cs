using System.Globalization;
using System.Net;

namespace Weft.Bookinfo;

/// <summary>
/// What every Bookinfo service reads from its command line: <c>--port N</c> (env <c>PORT</c>, default 9080 as
/// upstream) and <c>--address IP</c> (env <c>BIND_ADDRESS</c>, default 127.0.0.1; the images set 0.0.0.0).
/// Options win over variables; an empty variable counts as unset.
/// </summary>
internal sealed record ServiceCommandLine(IPAddress Address, int Port, bool ShowHelp)
{
    public const int DefaultPort = 9080;

    public static string Usage(string program, string environment) => $"""
        usage: {program} [options]
          --address IP   address to bind (env BIND_ADDRESS; default 127.0.0.1, 0.0.0.0 in the container image)
          --port N       port to listen on; 0 = any free port (env PORT; default {DefaultPort})
          -h, --help     show this text
        environment:
        {environment}
        Prints "listening on http://ADDRESS:PORT" once bound.
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ServiceCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? port = null, address = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new ServiceCommandLine(IPAddress.Loopback, DefaultPort, ShowHelp: true);
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (name is not ("--port" or "--address"))
            {
                throw new ArgumentException($"unknown option '{arg}'");
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"option '{name}' needs a value");
            }

            if (name == "--port")
            {
                port = value;
            }
            else
            {
                address = value;
            }
        }

        port ??= NonEmpty(environment("PORT"));
        address ??= NonEmpty(environment("BIND_ADDRESS"));

        var bind = IPAddress.Loopback;
        if (address is not null && !IPAddress.TryParse(address, out bind))
        {
            throw new ArgumentException($"--address: '{address}' is not an IP address");
        }

        var number = DefaultPort;
        if (port is not null && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number <= IPEndPoint.MaxPort))
        {
            throw new ArgumentException($"--port: '{port}' is not a port number (0-65535)");
        }

        return new ServiceCommandLine(bind, number, ShowHelp: false);
    }

    public static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
