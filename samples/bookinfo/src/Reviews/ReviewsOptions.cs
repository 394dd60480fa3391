using System.Net;

namespace Weft.Bookinfo.Reviews;

/// <summary>
/// How a reviews instance behaves. The three upstream versions are one binary plus configuration
/// (BOOKINFO-SPEC §3.1): v1 shows no ratings, v2 black stars, v3 red stars.
/// </summary>
public sealed record ReviewsOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 9080;

    /// <summary><c>SERVICE_VERSION</c>; informational, and the default for the two settings below.</summary>
    public string ServiceVersion { get; init; } = "v1";

    /// <summary><c>ENABLE_RATINGS</c>: call ratings and add a <c>rating</c> to each review.</summary>
    public bool EnableRatings { get; init; }

    /// <summary><c>STAR_COLOR</c> (default <c>black</c>), reported in each rating.</summary>
    public string StarColor { get; init; } = "black";

    /// <summary>ratings' endpoint, <c>http://ratings:9080/ratings</c> unless overridden; the product id is appended.</summary>
    public Uri RatingsUri { get; init; } = new("http://ratings:9080/ratings");

    /// <summary>
    /// The ratings call's deadline. Null means upstream's rule: 10 s when the star colour is <c>black</c>,
    /// 2.5 s otherwise.
    /// </summary>
    public TimeSpan? RatingsTimeout { get; init; }

    /// <summary><c>HOSTNAME</c> (the pod name in Kubernetes), reported as <c>podname</c>; null prints <c>null</c> as upstream.</summary>
    public string? PodName { get; init; }

    /// <summary><c>CLUSTER_NAME</c>, reported as <c>clustername</c>; null prints <c>null</c> as upstream.</summary>
    public string? ClusterName { get; init; }

    public TimeSpan EffectiveRatingsTimeout => RatingsTimeout ?? (StarColor == "black" ? TimeSpan.FromMilliseconds(10_000) : TimeSpan.FromMilliseconds(2_500));

    public const string EnvironmentHelp = """
          SERVICE_VERSION       v1 | v2 | v3; when the two below are unset, v1 = no ratings, v2 = black, v3 = red
          ENABLE_RATINGS        true/false (case-insensitive): call ratings
          STAR_COLOR            star colour (default black); ratings timeout 10 s for black, else 2.5 s
          RATINGS_HOSTNAME      ratings host (default ratings)
          RATINGS_SERVICE_PORT  ratings port (default 9080)
          SERVICES_DOMAIN       appended to the ratings host as .DOMAIN
          HOSTNAME              reported as podname
          CLUSTER_NAME          reported as clustername
        """;

    /// <summary>The command line and environment as the program reads them; null when help was asked for.</summary>
    public static ReviewsOptions? FromEnvironment(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commandLine = ServiceCommandLine.Parse(args, environment);
        if (commandLine.ShowHelp)
        {
            return null;
        }

        var version = environment("SERVICE_VERSION") ?? "v1";
        // Upstream bakes ENABLE_RATINGS / STAR_COLOR into three images; one image here, so SERVICE_VERSION
        // supplies them when they are not set. Explicit values win, and parse as upstream does
        // (Boolean.valueOf: "true" in any case is true, anything else false).
        var enableRatings = environment("ENABLE_RATINGS") is { } enable
            ? string.Equals(enable, "true", StringComparison.OrdinalIgnoreCase)
            : version is "v2" or "v3";
        var starColor = environment("STAR_COLOR") ?? (version == "v3" ? "red" : "black");

        var domain = environment("SERVICES_DOMAIN") is { } d ? "." + d : "";
        var host = environment("RATINGS_HOSTNAME") ?? "ratings";
        var port = environment("RATINGS_SERVICE_PORT") ?? "9080";
        if (!Uri.TryCreate($"http://{host}{domain}:{port}/ratings", UriKind.Absolute, out var ratings))
        {
            throw new ArgumentException($"RATINGS_HOSTNAME/RATINGS_SERVICE_PORT/SERVICES_DOMAIN do not make a URL: http://{host}{domain}:{port}/ratings");
        }

        return new ReviewsOptions
        {
            Address = commandLine.Address,
            Port = commandLine.Port,
            ServiceVersion = version,
            EnableRatings = enableRatings,
            StarColor = starColor,
            RatingsUri = ratings,
            PodName = environment("HOSTNAME"),
            ClusterName = environment("CLUSTER_NAME"),
        };
    }
}
