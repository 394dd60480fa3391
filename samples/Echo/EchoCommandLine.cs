using System.Globalization;
using System.Net;

namespace Weft.Samples.Echo;

/// <summary>
/// The program's command line. Every option falls back to the environment variable echo-basic
/// reads, so the same binary runs under the conformance manifests (which set POD_NAME and
/// NAMESPACE through the downward API) and from tests (which pass options).
/// </summary>
internal sealed record EchoCommandLine(EchoOptions Options, bool ShowHelp)
{
    public const string DefaultPort = "3000";
    public const string DefaultHttpsPort = "8443";

    public const string Usage = """
        usage: Weft.Samples.Echo [options]
          --address IP         address to bind (env BIND_ADDRESS; default 127.0.0.1)
          --port N             HTTP/1.1 + h2c port; 0 = any free port (env PORT, then HTTP_PORT; default 3000)
          --h2c-port N         extra port that only accepts HTTP/2, like echo-basic's 3001 (env H2C_PORT; default off)
          --https-port N       TLS port, used with --tls-cert and --tls-key (env HTTPS_PORT; default 8443)
          --tls-cert FILE      PEM certificate (chain) to serve (env TLS_SERVER_CERT)
          --tls-key FILE       PEM private key (env TLS_SERVER_PRIVKEY)
          --tls-client-ca FILE PEM roots for optional client certificates (env TLS_CLIENT_CACERTS)
          --pod NAME           reported as "pod" (env POD_NAME)
          --namespace NS       reported as "namespace" (env NAMESPACE)
          --service NAME       reported as "service" (env SERVICE_NAME)
          --ingress NAME       reported as "ingress" (env INGRESS_NAME)
          --grpc               serve echo-basic's gRPC echo service instead (env GRPC_ECHO_SERVER non-empty);
                               the TLS key then falls back to env TLS_SERVER_PRIV_KEY, as echo-basic's gRPC mode reads
          -h, --help           show this text
        Prints "listening on http://ADDRESS:PORT" once the main port is bound.
        """;

    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["--h2c-port"] = "H2C_PORT",
        ["--https-port"] = "HTTPS_PORT",
        ["--tls-cert"] = "TLS_SERVER_CERT",
        ["--tls-key"] = "TLS_SERVER_PRIVKEY",
        ["--tls-client-ca"] = "TLS_CLIENT_CACERTS",
        ["--pod"] = "POD_NAME",
        ["--namespace"] = "NAMESPACE",
        ["--service"] = "SERVICE_NAME",
        ["--ingress"] = "INGRESS_NAME",
    };

    private static readonly HashSet<string> Known = ["--address", "--port", "--grpc", .. Environment.Keys];

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static EchoCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new EchoCommandLine(new EchoOptions(), ShowHelp: true);
            }

            if (arg == "--grpc")
            {
                given[arg] = "";
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (!Known.Contains(name))
            {
                throw new ArgumentException($"unknown option '{arg}'");
            }

            if (equals > 0)
            {
                given[name] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                given[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"option '{name}' needs a value");
            }
        }

        // An option wins over its variable; an empty variable counts as unset, as in echo-basic.
        string? Value(string option, params string[] variables)
        {
            if (given.TryGetValue(option, out var value))
            {
                return value;
            }

            foreach (var variable in variables)
            {
                var fromEnvironment = environment(variable);
                if (!string.IsNullOrEmpty(fromEnvironment))
                {
                    return fromEnvironment;
                }
            }

            return null;
        }

        string? Mapped(string option) => Value(option, Environment[option]);

        // echo-basic: any non-empty value selects the gRPC echo server instead of the HTTP one.
        var grpc = given.ContainsKey("--grpc") || !string.IsNullOrEmpty(environment("GRPC_ECHO_SERVER"));

        var addressText = Value("--address", "BIND_ADDRESS") ?? "127.0.0.1";
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new ArgumentException($"--address: '{addressText}' is not an IP address");
        }

        var options = new EchoOptions
        {
            Address = address,
            Port = ParsePort("--port", Value("--port", "PORT", "HTTP_PORT") ?? DefaultPort),
            H2cPort = Mapped("--h2c-port") is { } h2c ? ParsePort("--h2c-port", h2c) : null,
            Grpc = grpc,
            Pod = Mapped("--pod") ?? "",
            Namespace = Mapped("--namespace") ?? "",
            Service = Mapped("--service") ?? "",
            Ingress = Mapped("--ingress") ?? "",
        };

        var certificate = Mapped("--tls-cert");
        // echo-basic's gRPC mode reads TLS_SERVER_PRIV_KEY, not TLS_SERVER_PRIVKEY (FORMAT.md 9.6).
        var key = grpc ? Value("--tls-key", "TLS_SERVER_PRIV_KEY") : Mapped("--tls-key");
        if (certificate is not null && key is not null)
        {
            options = options with
            {
                Https = EchoHttpsOptions.FromPemFiles(
                    ParsePort("--https-port", Mapped("--https-port") ?? DefaultHttpsPort), certificate, key, Mapped("--tls-client-ca")),
            };
        }
        else if (given.ContainsKey("--tls-cert") || given.ContainsKey("--tls-key"))
        {
            // echo-basic silently skips TLS when one of the pair is missing; an explicit option
            // that does nothing is more likely a mistake.
            throw new ArgumentException("--tls-cert and --tls-key go together");
        }

        return new EchoCommandLine(options, ShowHelp: false);
    }

    private static int ParsePort(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new ArgumentException($"{option}: '{text}' is not a port number (0-65535)");
}
