using System.Net;

namespace Weft.Bookinfo.Ratings;

/// <summary>
/// How a ratings instance behaves. <see cref="FromEnvironment"/> reads upstream's variables (BOOKINFO-SPEC §4.1);
/// tests set the properties directly.
/// </summary>
public sealed record RatingsOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 9080;

    /// <summary>
    /// <c>SERVICE_VERSION</c>: <c>v1</c> (in-memory), <c>v2</c> (database-backed; see <see cref="RatingsServer"/>),
    /// <c>v-faulty</c>, <c>v-delayed</c>, <c>v-unavailable</c>, <c>v-unhealthy</c>. Anything else behaves as v1, as upstream.
    /// </summary>
    public string ServiceVersion { get; init; } = "v1";

    /// <summary><c>DB_TYPE</c> for v2: <c>mysql</c>, otherwise MongoDB.</summary>
    public string? DatabaseType { get; init; }

    /// <summary>v-delayed's delay (upstream: 7 s).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>v-unavailable flips between available and 503 this often (upstream: 60 s).</summary>
    public TimeSpan UnavailablePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>v-unhealthy flips health and availability this often (upstream: 15 min).</summary>
    public TimeSpan UnhealthyPeriod { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>v-faulty's and v-delayed's coin, a value in [0, 1); at most 0.5 means "fault" as upstream.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public const string EnvironmentHelp = """
          SERVICE_VERSION  v1 (default) | v2 | v-faulty | v-delayed | v-unavailable | v-unhealthy
          DB_TYPE          v2 only: mysql, else MongoDB (no database client is built in; see README)
        """;

    /// <summary>The command line and environment as the program reads them; null when help was asked for.</summary>
    public static RatingsOptions? FromEnvironment(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commandLine = ServiceCommandLine.Parse(args, environment);
        if (commandLine.ShowHelp)
        {
            return null;
        }

        return new RatingsOptions
        {
            Address = commandLine.Address,
            Port = commandLine.Port,
            ServiceVersion = environment("SERVICE_VERSION") ?? "v1",
            DatabaseType = environment("DB_TYPE"),
        };
    }
}
