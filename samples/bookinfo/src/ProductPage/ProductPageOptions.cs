using System.Globalization;
using System.Net;
using System.Text;

namespace Weft.Bookinfo.ProductPage;

/// <summary>How a productpage instance behaves and where its upstreams are (BOOKINFO-SPEC §1.1, §1.4).</summary>
public sealed record ProductPageOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 9080;

    /// <summary>details' base URL; calls go to <c>{base}/details/{id}</c>.</summary>
    public Uri DetailsUri { get; init; } = new("http://details:9080");

    /// <summary>reviews' base URL; calls go to <c>{base}/reviews/{id}</c>.</summary>
    public Uri ReviewsUri { get; init; } = new("http://reviews:9080");

    /// <summary>ratings' base URL; only <c>/api/v1/products/{id}/ratings</c> calls it.</summary>
    public Uri RatingsUri { get; init; } = new("http://ratings:9080");

    /// <summary>Deadline of the details call (upstream: 3 s, one attempt).</summary>
    public TimeSpan DetailsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Deadline of each reviews attempt (upstream: 3 s, two attempts).</summary>
    public TimeSpan ReviewsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Deadline of the ratings call (upstream: 3 s, one attempt).</summary>
    public TimeSpan RatingsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>FLOOD_FACTOR</c>: extra reviews calls per page view, answers discarded (rate-limit demos).</summary>
    public int FloodFactor { get; init; }

    /// <summary>
    /// The key that signs the <c>session</c> cookie (<c>SESSION_SECRET</c>). Like upstream's fixed Flask secret,
    /// the default is a constant, so sessions survive restarts and work across replicas; nothing here is secret,
    /// since any user name logs in with any password.
    /// </summary>
    public string SessionSecret { get; init; } = "weft-bookinfo-demo-session";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public const string EnvironmentHelp = """
          DETAILS_HOSTNAME, DETAILS_SERVICE_PORT   details host and port (default details, 9080)
          REVIEWS_HOSTNAME, REVIEWS_SERVICE_PORT   reviews host and port (default reviews, 9080)
          RATINGS_HOSTNAME, RATINGS_SERVICE_PORT   ratings host and port (default ratings, 9080)
          SERVICES_DOMAIN                          appended to each host as .DOMAIN
          FLOOD_FACTOR                             extra reviews calls per page view (default 0)
          SESSION_SECRET                           key that signs the session cookie
          HTTP_PROXY / NO_PROXY                    honoured by the outbound client (Weft's local mesh mode)
        """;

    /// <summary>The command line and environment as the program reads them; null when help was asked for.</summary>
    public static ProductPageOptions? FromEnvironment(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commandLine = ServiceCommandLine.Parse(args, environment);
        if (commandLine.ShowHelp)
        {
            return null;
        }

        var domain = environment("SERVICES_DOMAIN") is { } d ? "." + d : "";
        Uri Upstream(string name)
        {
            var prefix = name.ToUpperInvariant();
            var host = environment(prefix + "_HOSTNAME") ?? name;
            var port = environment(prefix + "_SERVICE_PORT") ?? "9080";
            return Uri.TryCreate($"http://{host}{domain}:{port}", UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"{prefix}_HOSTNAME/{prefix}_SERVICE_PORT/SERVICES_DOMAIN do not make a URL: http://{host}{domain}:{port}");
        }

        var flood = environment("FLOOD_FACTOR");
        var floodFactor = 0;
        if (flood is not null && !int.TryParse(flood, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out floodFactor))
        {
            throw new ArgumentException($"FLOOD_FACTOR: '{flood}' is not a number");
        }

        var options = new ProductPageOptions
        {
            Address = commandLine.Address,
            Port = commandLine.Port,
            DetailsUri = Upstream("details"),
            ReviewsUri = Upstream("reviews"),
            RatingsUri = Upstream("ratings"),
            FloodFactor = floodFactor,
        };
        return ServiceCommandLine.NonEmpty(environment("SESSION_SECRET")) is { } secret ? options with { SessionSecret = secret } : options;
    }

    internal byte[] SessionKey => Encoding.UTF8.GetBytes(SessionSecret);
}
