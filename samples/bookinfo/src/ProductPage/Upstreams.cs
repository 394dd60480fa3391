using System.Net;
using System.Text.Json;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// An upstream's answer as productpage uses it: status 200 and the upstream's JSON, or the failing status
/// (the upstream's, or 500 when there was no answer) and productpage's error object.
/// </summary>
internal sealed record UpstreamResult(int Status, JsonElement? Json, string Error)
{
    public bool Ok => Status == 200 && Json is not null;

    /// <summary>The body productpage's API answers with: the upstream's JSON, or <c>{"error": "..."}</c>.</summary>
    public string ApiBody => Ok ? PythonJson.Serialize(Json!.Value) : PythonJson.Error(Error);
}

/// <summary>
/// productpage's calls to details, reviews and ratings (BOOKINFO-SPEC §1.4): sequential, a deadline per attempt,
/// one attempt for details and ratings, two for reviews (the second immediately after any failure).
/// </summary>
internal sealed class Upstreams(ProductPageOptions options, IHttpClientFactory clients, RequestMetrics metrics)
{
    public const string Client = "upstreams";

    // The exact texts productpage shows and answers with (§1.4).
    public const string DetailsUnavailable = "Sorry, product details are currently unavailable for this book.";
    public const string ReviewsUnavailable = "Sorry, product reviews are currently unavailable for this book.";
    public const string RatingsUnavailable = "Sorry, product ratings are currently unavailable for this book.";

    public Task<UpstreamResult> DetailsAsync(string productId, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        CallAsync("details", options.DetailsUri, productId, options.DetailsTimeout, attempts: 1, DetailsUnavailable, headers, cancellationToken);

    public Task<UpstreamResult> ReviewsAsync(string productId, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        // "Do not remove": upstream's second attempt is what makes a 3 s reviews hang cost 6 s (fault-injection task).
        CallAsync("reviews", options.ReviewsUri, productId, options.ReviewsTimeout, attempts: 2, ReviewsUnavailable, headers, cancellationToken);

    public Task<UpstreamResult> RatingsAsync(string productId, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        CallAsync("ratings", options.RatingsUri, productId, options.RatingsTimeout, attempts: 1, RatingsUnavailable, headers, cancellationToken);

    private async Task<UpstreamResult> CallAsync(
        string app,
        Uri baseUri,
        string productId,
        TimeSpan timeout,
        int attempts,
        string error,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        var uri = new Uri($"{baseUri.ToString().TrimEnd('/')}/{app}/{Uri.EscapeDataString(productId)}");
        var client = clients.CreateClient(Client);
        int? status = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            status = null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                PropagatedHeaders.Apply(request, headers);
                using var response = await client.SendAsync(request, deadline.Token);
                status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
                    using var json = await JsonDocument.ParseAsync(body, cancellationToken: deadline.Token);
                    metrics.Count(app, 200);
                    return new UpstreamResult(200, json.RootElement.Clone(), error);
                }
            }
            catch (JsonException)
            {
                // A 200 that is not JSON: upstream fails the whole request there (a 500 page); here it is a
                // failure like any other, without a further attempt.
                status = 500;
                break;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Connection refused, reset, DNS, or the deadline: no answer.
                status = null;
            }
        }

        var failed = status ?? 500;
        metrics.Count(app, failed);
        return new UpstreamResult(failed, null, error);
    }
}
