using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Weft.Bookinfo.Reviews;

/// <summary>
/// The reviews service (upstream: Java/JAX-RS). <c>GET /reviews/&lt;id&gt;</c> answers two reviews; with ratings
/// enabled (v2, v3) it asks ratings once and adds each reviewer's stars in <see cref="ReviewsOptions.StarColor"/>,
/// or an error when ratings failed. It always answers 200.
/// </summary>
public sealed class ReviewsServer : IRunningService
{
    private readonly ServiceHost _host;

    private ReviewsServer(ServiceHost host) => _host = host;

    public IPEndPoint EndPoint => _host.EndPoint;

    /// <summary><c>http://address:port/</c>.</summary>
    public Uri Uri => _host.Uri;

    public static async Task<ReviewsServer> StartAsync(ReviewsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = await ServiceHost.StartAsync(
            options.Address,
            options.Port,
            services =>
            {
                services.AddSingleton(options);
                services.AddSingleton<ReviewsHandler>();
                services.AddOutboundHttpClient(ReviewsHandler.RatingsClient);
            },
            app =>
            {
                var reviews = app.Services.GetRequiredService<ReviewsHandler>();
                app.MapGet("/health", ReviewsHandler.HealthAsync);
                app.MapGet("/reviews/{productId}", reviews.ReviewsAsync);
            },
            cancellationToken);
        return new ReviewsServer(host);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _host.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

internal sealed class ReviewsHandler(ReviewsOptions options, IHttpClientFactory clients)
{
    public const string RatingsClient = "ratings";

    // The JSON below is built by hand, as upstream does, so the wire text matches it byte for byte.
    private const string Review1 = "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!";
    private const string Review2 = "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.";
    private const string RatingsUnavailable = "Ratings service is currently unavailable";

    public static Task HealthAsync(HttpContext context) => Json(context, """{"status": "Reviews is healthy"}""");

    public async Task ReviewsAsync(HttpContext context)
    {
        // A Java int, else no such resource (JAX-RS answers 404 when a path parameter does not convert).
        var text = (string?)context.Request.RouteValues["productId"];
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var productId))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        int? stars1 = null, stars2 = null;
        if (options.EnableRatings && await GetRatingsAsync(context, productId) is { } ratings)
        {
            stars1 = Stars(ratings, "Reviewer1");
            stars2 = Stars(ratings, "Reviewer2");
        }

        var id = productId.ToString(CultureInfo.InvariantCulture);
        var json = new StringBuilder()
            .Append("{\"id\": \"").Append(id).Append("\",")
            .Append("\"podname\": \"").Append(Escape(options.PodName ?? "null")).Append("\",")
            .Append("\"clustername\": \"").Append(Escape(options.ClusterName ?? "null")).Append("\",")
            .Append("\"reviews\": [")
            .Append(Review("Reviewer1", Review1, stars1)).Append(',')
            .Append(Review("Reviewer2", Review2, stars2))
            .Append("]}");
        await Json(context, json.ToString());
    }

    private string Review(string reviewer, string text, int? stars)
    {
        var review = new StringBuilder()
            .Append("{  \"reviewer\": \"").Append(reviewer).Append("\",")
            .Append("  \"text\": \"").Append(text).Append('"');
        if (options.EnableRatings)
        {
            review.Append(stars is { } n
                ? $", \"rating\": {{\"stars\": {n.ToString(CultureInfo.InvariantCulture)}, \"color\": \"{Escape(options.StarColor)}\"}}"
                : $", \"rating\": {{\"error\": \"{RatingsUnavailable}\"}}");
        }

        return review.Append('}').ToString();
    }

    /// <summary>
    /// ratings' JSON object, or null when ratings failed in any way: not 200, timeout, connection error, not JSON.
    /// One attempt, no retries.
    /// </summary>
    private async Task<JsonElement?> GetRatingsAsync(HttpContext context, int productId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(options.EffectiveRatingsTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.RatingsUri + "/" + productId.ToString(CultureInfo.InvariantCulture)));
            request.Headers.Accept.ParseAdd("application/json");
            PropagatedHeaders.Apply(request, PropagatedHeaders.Collect(context.Request.Headers, PropagatedHeaders.DetailsAndReviews));
            using var response = await clients.CreateClient(RatingsClient).SendAsync(request, deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: deadline.Token);
            return json.RootElement.ValueKind == JsonValueKind.Object ? json.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    // The reviewer's stars from {"ratings": {"Reviewer1": 5, ...}}; null (an error in the answer) when missing.
    private static int? Stars(JsonElement ratings, string reviewer) =>
        ratings.TryGetProperty("ratings", out var all)
        && all.ValueKind == JsonValueKind.Object
        && all.TryGetProperty(reviewer, out var stars)
        && stars.ValueKind == JsonValueKind.Number
            ? stars.TryGetInt32(out var n) ? n : (int)Math.Truncate(stars.GetDouble())
            : null;

    private static string Escape(string value)
    {
        var encoded = JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        return encoded.ToString();
    }

    private static Task Json(HttpContext context, string body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
