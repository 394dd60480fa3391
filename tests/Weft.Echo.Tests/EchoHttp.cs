using System.Net.Http.Headers;
using System.Text.Json;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

/// <summary>Request helpers shared by the tests; every call has a deadline so a hang fails instead of stalling the run.</summary>
internal static class EchoHttp
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static CancellationTokenSource Timeout() => new(Deadline);

    public static async Task<(HttpResponseMessage Response, EchoedRequest Echo)> SendAsync(
        HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(request, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // Runners only decode bodies whose Content-Type is exactly application/json.
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var echo = JsonSerializer.Deserialize(body, EchoJsonContext.Default.EchoedRequest);
        Assert.NotNull(echo);
        return (response, echo);
    }

    public static string Joined(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;
}
