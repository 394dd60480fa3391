using System.Net;

namespace Weft.Bookinfo.Details;

/// <summary>How a details instance behaves (BOOKINFO-SPEC §2.1).</summary>
public sealed record DetailsOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 9080;

    /// <summary><c>ENABLE_EXTERNAL_BOOK_SERVICE=true</c> (details v2): book data comes from the Google Books API.</summary>
    public bool EnableExternalBookService { get; init; }

    /// <summary>
    /// The external book service's volumes endpoint. Default: <c>https://www.googleapis.com/books/v1/volumes</c>, or
    /// <c>http://www.googleapis.com:80/books/v1/volumes</c> with <c>DO_NOT_ENCRYPT=true</c> (egress TLS origination).
    /// </summary>
    public Uri ExternalBookServiceUri { get; init; } = new("https://www.googleapis.com/books/v1/volumes");

    /// <summary>Read timeout of the external call (upstream: 5 s).</summary>
    public TimeSpan ExternalBookServiceTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>SERVICE_VERSION</c>; informational.</summary>
    public string ServiceVersion { get; init; } = "v1";

    public const string EnvironmentHelp = """
          ENABLE_EXTERNAL_BOOK_SERVICE  true: fetch the book from Google Books (details v2)
          DO_NOT_ENCRYPT                true: call Google Books over plain HTTP on port 80
          SERVICE_VERSION               informational (default v1)
        """;

    /// <summary>The command line and environment as the program reads them; null when help was asked for.</summary>
    public static DetailsOptions? FromEnvironment(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commandLine = ServiceCommandLine.Parse(args, environment);
        if (commandLine.ShowHelp)
        {
            return null;
        }

        // Upstream compares with === 'true': exactly "true", nothing else.
        return new DetailsOptions
        {
            Address = commandLine.Address,
            Port = commandLine.Port,
            EnableExternalBookService = environment("ENABLE_EXTERNAL_BOOK_SERVICE") == "true",
            ExternalBookServiceUri = environment("DO_NOT_ENCRYPT") == "true"
                ? new Uri("http://www.googleapis.com:80/books/v1/volumes")
                : new Uri("https://www.googleapis.com/books/v1/volumes"),
            ServiceVersion = environment("SERVICE_VERSION") ?? "v1",
        };
    }
}
