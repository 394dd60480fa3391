using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Weft.Bookinfo.Ratings;

/// <summary>
/// The ratings service (upstream: Node.js). <c>GET /ratings/&lt;id&gt;</c> answers
/// <c>{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}</c>; <c>POST</c> stores other ratings in memory.
/// It makes no outbound calls.
/// </summary>
public sealed class RatingsServer : IRunningService
{
    private readonly ServiceHost _host;

    private RatingsServer(ServiceHost host) => _host = host;

    public IPEndPoint EndPoint => _host.EndPoint;

    /// <summary><c>http://address:port/</c>.</summary>
    public Uri Uri => _host.Uri;

    public static async Task<RatingsServer> StartAsync(RatingsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ratings = new RatingsHandler(options);
        var host = await ServiceHost.StartAsync(
            options.Address,
            options.Port,
            _ => { },
            app =>
            {
                // Node's httpdispatcher answers everything it has no handler for 404 with an empty body: other
                // paths and other methods alike (so no 405 here).
                app.Map("/health", context => HttpMethods.IsGet(context.Request.Method) ? ratings.HealthAsync(context) : NotFound(context));
                // Upstream matches /^\/ratings\/[0-9]*/, i.e. any path under /ratings/.
                app.Map("/ratings/{**rest}", context =>
                    !context.Request.Path.StartsWithSegments("/ratings", out var rest) || !rest.HasValue ? NotFound(context)
                    : HttpMethods.IsGet(context.Request.Method) ? ratings.GetAsync(context)
                    : HttpMethods.IsPost(context.Request.Method) ? ratings.PostAsync(context)
                    : NotFound(context));
                app.MapFallback(NotFound);
            },
            cancellationToken);
        return new RatingsServer(host);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _host.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}

internal sealed class RatingsHandler(RatingsOptions options)
{
    // JSON.stringify: compact, no escaping beyond what JSON requires.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<long, string> _stored = [];
    private readonly Lock _lock = new();
    private readonly long _started = options.TimeProvider.GetTimestamp();

    public Task HealthAsync(HttpContext context) => Healthy()
        ? Json(context, 200, """{"status":"Ratings is healthy"}""")
        : Json(context, 500, """{"status":"Ratings is not healthy"}""");

    public async Task GetAsync(HttpContext context)
    {
        if (ProductId(context) is not { } id)
        {
            await Json(context, 400, """{"error":"please provide numeric product ID"}""");
            return;
        }

        switch (options.ServiceVersion)
        {
            case "v2":
                // Upstream reads MongoDB (or MySQL) here; no database client is built into this sample, so it
                // answers as upstream does when it cannot connect — with MySQL's quirk of a 200.
                await Json(context, options.DatabaseType == "mysql" ? 200 : 500, """{"error":"could not connect to ratings database"}""");
                return;
            case "v-faulty" when options.Random() <= 0.5:
                await Unavailable(context);
                return;
            case "v-delayed" when options.Random() <= 0.5:
                await Task.Delay(options.Delay, options.TimeProvider, context.RequestAborted);
                break;
            case "v-unavailable" or "v-unhealthy" when !Available():
                await Unavailable(context);
                return;
        }

        await Json(context, 200, Lookup(id));
    }

    public async Task PostAsync(HttpContext context)
    {
        if (ProductId(context) is not { } id)
        {
            await Json(context, 400, """{"error":"please provide numeric product ID"}""");
            return;
        }

        JsonNode? ratings;
        try
        {
            ratings = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await Json(context, 400, """{"error":"please provide valid ratings JSON"}""");
            return;
        }

        if (options.ServiceVersion == "v2")
        {
            await Json(context, 501, """{"error":"Post not implemented for database backed ratings"}""");
            return;
        }

        var stored = "{\"id\":" + id.ToString(CultureInfo.InvariantCulture) + ",\"ratings\":" + (ratings is null ? "null" : ratings.ToJsonString(Compact)) + "}";
        lock (_lock)
        {
            _stored[id] = stored;
        }

        await Json(context, 200, stored);
    }

    private string Lookup(long id)
    {
        lock (_lock)
        {
            if (_stored.TryGetValue(id, out var stored))
            {
                return stored;
            }
        }

        return "{\"id\":" + id.ToString(CultureInfo.InvariantCulture) + ",\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}";
    }

    // v-unavailable starts available and flips every period; v-unhealthy flips availability with health.
    private bool Available() => options.ServiceVersion switch
    {
        "v-unavailable" => Phase(options.UnavailablePeriod) % 2 == 0,
        "v-unhealthy" => Healthy(),
        _ => true,
    };

    private bool Healthy() => options.ServiceVersion != "v-unhealthy" || Phase(options.UnhealthyPeriod) % 2 == 0;

    private long Phase(TimeSpan period) => options.TimeProvider.GetElapsedTime(_started).Ticks / Math.Max(1, period.Ticks);

    private static Task Unavailable(HttpContext context) => Json(context, 503, """{"error":"Service unavailable"}""");

    // The id is the last path segment (query included, as upstream splits the raw URL) read like JavaScript's
    // parseInt: leading blanks, a sign, then decimal digits (or hex after 0x) up to the first other character.
    private static long? ProductId(HttpContext context)
    {
        var url = context.Request.Path.Value + context.Request.QueryString.Value;
        return ParseInt(url[(url.LastIndexOf('/') + 1)..]);
    }

    internal static long? ParseInt(string text)
    {
        var s = text.AsSpan().TrimStart();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var radix = 10;
        if (s.Length > 1 && s[0] == '0' && s[1] is 'x' or 'X')
        {
            radix = 16;
            s = s[2..];
        }

        long value = 0;
        var digits = 0;
        foreach (var c in s)
        {
            var digit = c is >= '0' and <= '9' ? c - '0'
                : radix == 16 && c is >= 'a' and <= 'f' ? c - 'a' + 10
                : radix == 16 && c is >= 'A' and <= 'F' ? c - 'A' + 10
                : -1;
            if (digit < 0)
            {
                break;
            }

            // JavaScript would go on in floating point; ids that large are not product ids.
            if (value > (long.MaxValue - digit) / radix)
            {
                return null;
            }

            value = (value * radix) + digit;
            digits++;
        }

        return digits == 0 ? null : negative ? -value : value;
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
