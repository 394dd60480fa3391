using System.Net;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Weft.Bookinfo.Details;

/// <summary>
/// The details service (upstream: Ruby/WEBrick). <c>/details/&lt;id&gt;</c> answers the book's details as compact
/// JSON, any method; v2 (<see cref="DetailsOptions.EnableExternalBookService"/>) fetches them from Google Books.
/// </summary>
public sealed class DetailsServer : IRunningService
{
    private readonly ServiceHost _host;

    private DetailsServer(ServiceHost host) => _host = host;

    public IPEndPoint EndPoint => _host.EndPoint;

    /// <summary><c>http://address:port/</c>.</summary>
    public Uri Uri => _host.Uri;

    public static async Task<DetailsServer> StartAsync(DetailsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = await ServiceHost.StartAsync(
            options.Address,
            options.Port,
            services =>
            {
                services.AddSingleton(options);
                services.AddSingleton<DetailsHandler>();
                services.AddOutboundHttpClient(DetailsHandler.ExternalClient);
            },
            app =>
            {
                var details = app.Services.GetRequiredService<DetailsHandler>();
                // WEBrick mounts answer every method.
                app.Map("/health", DetailsHandler.HealthAsync);
                app.Map("/details", details.DetailsAsync);
                app.Map("/details/{**rest}", details.DetailsAsync);
                app.MapFallback(DetailsHandler.NotFoundAsync);
            },
            cancellationToken);
        return new DetailsServer(host);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _host.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

internal sealed class DetailsHandler(DetailsOptions options, IHttpClientFactory clients)
{
    public const string ExternalClient = "books";

    // The ISBN of an edition of The Comedy of Errors with Shakespeare as its single author, as upstream.
    private const string Isbn = "0486424618";

    // Ruby's to_json: compact, escapes only what JSON requires.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task HealthAsync(HttpContext context) => Json(context, 200, """{"status":"Details is healthy"}""");

    public static Task NotFoundAsync(HttpContext context)
    {
        // WEBrick's page, shortened.
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/html; charset=ISO-8859-1";
        return context.Response.WriteAsync(
            $"<HTML>\n  <HEAD><TITLE>Not Found</TITLE></HEAD>\n  <BODY>\n    <H1>Not Found</H1>\n    `{WebUtility.HtmlEncode(context.Request.Path.Value)}' not found.\n  </BODY>\n</HTML>\n",
            context.RequestAborted);
    }

    public async Task DetailsAsync(HttpContext context)
    {
        // The last non-empty path segment must be an integer: /details/0 and /details/0/ are fine, /details is not.
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !TryParseId(segments[^1], out var id))
        {
            await Json(context, 400, """{"error":"please provide numeric product id"}""");
            return;
        }

        string body;
        try
        {
            body = options.EnableExternalBookService
                ? await FetchExternalAsync(context, id)
                : Local(id);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
        {
            // Upstream answers any failure of the external call with 400 and the exception's message.
            var message = e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested ? "Net::ReadTimeout" : e.Message;
            await Json(context, 400, Write(w => w.WriteString("error", message)));
            return;
        }

        await Json(context, 200, body);
    }

    private static string Local(BigInteger id) => Write(w =>
    {
        w.WritePropertyName("id");
        w.WriteRawValue(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("author", "William Shakespeare");
        w.WriteNumber("year", 1595);
        w.WriteString("type", "paperback");
        w.WriteNumber("pages", 200);
        w.WriteString("publisher", "PublisherA");
        w.WriteString("language", "English");
        w.WriteString("ISBN-10", "1234567890");
        w.WriteString("ISBN-13", "123-1234567890");
    });

    private async Task<string> FetchExternalAsync(HttpContext context, BigInteger id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.ExternalBookServiceTimeout);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.ExternalBookServiceUri + "?q=isbn:" + Isbn));
        PropagatedHeaders.Apply(request, PropagatedHeaders.Collect(context.Request.Headers, PropagatedHeaders.DetailsAndReviews));
        using var response = await clients.CreateClient(ExternalClient).SendAsync(request, timeout.Token);
        // Upstream parses whatever came back, whatever the status.
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token);
        var book = json.RootElement.GetProperty("items")[0].GetProperty("volumeInfo");

        string? Text(string name) => book.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string? IdentifierOf(string type)
        {
            foreach (var identifier in book.GetProperty("industryIdentifiers").EnumerateArray())
            {
                if (identifier.TryGetProperty("type", out var t) && t.ValueEquals(type))
                {
                    return identifier.GetProperty("identifier").GetString();
                }
            }

            throw new InvalidOperationException($"undefined method `[]' for nil (no {type})");
        }

        var author = book.GetProperty("authors")[0].GetString();
        var isbn10 = IdentifierOf("ISBN_10");
        var isbn13 = IdentifierOf("ISBN_13");
        return Write(w =>
        {
            w.WritePropertyName("id");
            w.WriteRawValue(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("author", author);
            // As upstream: publishedDate as it came (a string such as "2002").
            w.WritePropertyName("year");
            WriteValue(w, book, "publishedDate");
            w.WriteString("type", Text("printType") == "BOOK" ? "paperback" : "unknown");
            w.WritePropertyName("pages");
            WriteValue(w, book, "pageCount");
            w.WritePropertyName("publisher");
            WriteValue(w, book, "publisher");
            w.WriteString("language", Text("language") == "en" ? "English" : "unknown");
            w.WriteString("ISBN-10", isbn10);
            w.WriteString("ISBN-13", isbn13);
        });
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement book, string name)
    {
        if (book.TryGetProperty(name, out var value))
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    // Ruby's Integer(): an optional sign and decimal digits, surrounding blanks allowed, any size.
    private static bool TryParseId(string text, out BigInteger id) =>
        BigInteger.TryParse(text.Replace("_", "", StringComparison.Ordinal), System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowLeadingWhite | System.Globalization.NumberStyles.AllowTrailingWhite, System.Globalization.CultureInfo.InvariantCulture, out id)
        && !text.StartsWith('_') && !text.EndsWith('_') && !text.Contains("__", StringComparison.Ordinal);

    private static string Write(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
