using System.Net;
using Weft.Bookinfo.Details;

namespace Weft.Bookinfo.Tests;

/// <summary>BOOKINFO-SPEC §2.</summary>
public sealed class DetailsTests
{
    private const string BookZero =
        "{\"id\":0,\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\",\"ISBN-13\":\"123-1234567890\"}";

    [Theory]
    [InlineData("/details/0")]
    [InlineData("/details/0/")]
    public async Task Details_are_upstreams_compact_json(string path)
    {
        using var cts = Deadline.Start();
        await using var details = await DetailsServer.StartAsync(new DetailsOptions { Port = 0 }, cts.Token);
        using var client = new HttpClient { BaseAddress = details.Uri };

        using var answer = await client.GetAsync(path, cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(BookZero, await answer.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task Id_is_echoed_any_method_is_accepted_and_health_answers()
    {
        using var cts = Deadline.Start();
        await using var details = await DetailsServer.StartAsync(new DetailsOptions { Port = 0 }, cts.Token);
        using var client = new HttpClient { BaseAddress = details.Uri };

        using var posted = await client.PostAsync("/details/42", null, cts.Token);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.StartsWith("{\"id\":42,\"author\":\"William Shakespeare\",", await posted.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);

        Assert.Equal("{\"status\":\"Details is healthy\"}", await client.GetStringAsync("/health", cts.Token));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/other", cts.Token)).StatusCode);
    }

    [Theory]
    [InlineData("/details/abc")]
    [InlineData("/details")]
    public async Task Non_numeric_id_is_400(string path)
    {
        using var cts = Deadline.Start();
        await using var details = await DetailsServer.StartAsync(new DetailsOptions { Port = 0 }, cts.Token);
        using var client = new HttpClient { BaseAddress = details.Uri };

        using var answer = await client.GetAsync(path, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("{\"error\":\"please provide numeric product id\"}", await answer.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task External_book_service_is_mapped_and_gets_the_propagated_headers()
    {
        using var cts = Deadline.Start();
        const string Volumes = """
            {"items":[{"volumeInfo":{"authors":["William Shakespeare"],"publishedDate":"2002","printType":"BOOK","pageCount":80,
             "publisher":"Dover Publications","language":"en",
             "industryIdentifiers":[{"type":"ISBN_13","identifier":"9780486424613"},{"type":"ISBN_10","identifier":"0486424618"}]}}]}
            """;
        await using var google = await FakeUpstream.StartAsync(200, Volumes);
        await using var details = await DetailsServer.StartAsync(
            new DetailsOptions { Port = 0, EnableExternalBookService = true, ExternalBookServiceUri = new Uri(google.Uri, "/books/v1/volumes") },
            cts.Token);
        using var client = new HttpClient { BaseAddress = details.Uri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/details/0");
        request.Headers.Add("x-request-id", "req-1");
        request.Headers.Add("end-user", "jason");
        request.Headers.Add("x-not-propagated", "no");

        using var answer = await client.SendAsync(request, cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(
            "{\"id\":0,\"author\":\"William Shakespeare\",\"year\":\"2002\",\"type\":\"paperback\",\"pages\":80,\"publisher\":\"Dover Publications\",\"language\":\"English\",\"ISBN-10\":\"0486424618\",\"ISBN-13\":\"9780486424613\"}",
            await answer.Content.ReadAsStringAsync(cts.Token));

        var received = Assert.Single(google.Received);
        Assert.Equal("/books/v1/volumes?q=isbn:0486424618", received.PathAndQuery);
        Assert.Equal("req-1", received.Headers["x-request-id"]);
        Assert.Equal("jason", received.Headers["end-user"]);
        Assert.False(received.Headers.ContainsKey("x-not-propagated"));
    }

    [Fact]
    public async Task External_book_service_failure_is_400_with_the_error()
    {
        using var cts = Deadline.Start();
        using var refused = new RefusedPort();
        await using var details = await DetailsServer.StartAsync(
            new DetailsOptions { Port = 0, EnableExternalBookService = true, ExternalBookServiceUri = new Uri(refused.Uri, "/books/v1/volumes") },
            cts.Token);
        using var client = new HttpClient { BaseAddress = details.Uri };

        using var answer = await client.GetAsync("/details/0", cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.StartsWith("{\"error\":\"", await answer.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_is_read_as_upstream()
    {
        var env = new Dictionary<string, string> { ["ENABLE_EXTERNAL_BOOK_SERVICE"] = "true", ["DO_NOT_ENCRYPT"] = "true" };
        var options = DetailsOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!;
        Assert.True(options.EnableExternalBookService);
        Assert.Equal(new Uri("http://www.googleapis.com:80/books/v1/volumes"), options.ExternalBookServiceUri);
        Assert.Equal(9080, options.Port);

        // Exactly "true", as upstream's ===.
        env["ENABLE_EXTERNAL_BOOK_SERVICE"] = "TRUE";
        env.Remove("DO_NOT_ENCRYPT");
        options = DetailsOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!;
        Assert.False(options.EnableExternalBookService);
        Assert.Equal(new Uri("https://www.googleapis.com/books/v1/volumes"), options.ExternalBookServiceUri);
    }
}
