using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Weft.Bookinfo.Ratings;
using Weft.Bookinfo.Reviews;

namespace Weft.Bookinfo.Tests;

/// <summary>BOOKINFO-SPEC §3.</summary>
public sealed class ReviewsTests
{
    private const string Text1 = "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!";
    private const string Text2 = "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.";

    [Fact]
    public async Task V1_has_no_ratings_and_upstreams_exact_text()
    {
        using var cts = Deadline.Start();
        await using var reviews = await ReviewsServer.StartAsync(new ReviewsOptions { Port = 0, PodName = "reviews-v1-abc" }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };

        using var answer = await client.GetAsync("/reviews/0", cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "{\"id\": \"0\",\"podname\": \"reviews-v1-abc\",\"clustername\": \"null\",\"reviews\": ["
            + "{  \"reviewer\": \"Reviewer1\",  \"text\": \"" + Text1 + "\"},"
            + "{  \"reviewer\": \"Reviewer2\",  \"text\": \"" + Text2 + "\"}]}",
            await answer.Content.ReadAsStringAsync(cts.Token));
    }

    [Theory]
    [InlineData("v2", "black")]
    [InlineData("v3", "red")]
    public async Task V2_and_v3_add_stars_in_their_colour(string version, string color)
    {
        using var cts = Deadline.Start();
        await using var ratings = await RatingsServer.StartAsync(new RatingsOptions { Port = 0 }, cts.Token);
        var env = new Dictionary<string, string>
        {
            ["SERVICE_VERSION"] = version,
            ["RATINGS_HOSTNAME"] = "127.0.0.1",
            ["RATINGS_SERVICE_PORT"] = ratings.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PORT"] = "0",
        };
        await using var reviews = await ReviewsServer.StartAsync(ReviewsOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };

        var text = await client.GetStringAsync("/reviews/0", cts.Token);
        Assert.Contains($"\"text\": \"{Text1}\", \"rating\": {{\"stars\": 5, \"color\": \"{color}\"}}}}", text, StringComparison.Ordinal);
        Assert.Contains($"\"text\": \"{Text2}\", \"rating\": {{\"stars\": 4, \"color\": \"{color}\"}}}}", text, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(text);
        var list = json.RootElement.GetProperty("reviews");
        Assert.Equal(5, list[0].GetProperty("rating").GetProperty("stars").GetInt32());
        Assert.Equal(4, list[1].GetProperty("rating").GetProperty("stars").GetInt32());
        Assert.Equal(color, list[1].GetProperty("rating").GetProperty("color").GetString());
    }

    [Fact]
    public async Task Ratings_down_gives_the_error_per_review_and_still_200()
    {
        using var cts = Deadline.Start();
        using var refused = new RefusedPort();
        await using var reviews = await ReviewsServer.StartAsync(
            new ReviewsOptions { Port = 0, EnableRatings = true, RatingsUri = new Uri(refused.Uri, "/ratings") }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };

        using var answer = await client.GetAsync("/reviews/0", cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var text = await answer.Content.ReadAsStringAsync(cts.Token);
        Assert.Equal(2, Count(text, ", \"rating\": {\"error\": \"Ratings service is currently unavailable\"}"));
    }

    [Theory]
    [InlineData(500, "{\"error\":\"boom\"}")]
    [InlineData(403, "RBAC: access denied")]
    [InlineData(200, "{\"id\":0,\"ratings\":{}}")]
    [InlineData(200, "not json")]
    public async Task Any_ratings_failure_gives_the_error(int status, string body)
    {
        using var cts = Deadline.Start();
        await using var ratings = await FakeUpstream.StartAsync(status, body);
        await using var reviews = await ReviewsServer.StartAsync(
            new ReviewsOptions { Port = 0, EnableRatings = true, StarColor = "red", RatingsUri = new Uri(ratings.Uri, "/ratings") }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };

        var text = await client.GetStringAsync("/reviews/0", cts.Token);
        Assert.Equal(2, Count(text, "Ratings service is currently unavailable"));
        Assert.Equal("/ratings/0", Assert.Single(ratings.Received).PathAndQuery);
    }

    [Fact]
    public async Task Ratings_timeout_gives_the_error_after_the_deadline()
    {
        using var cts = Deadline.Start();
        await using var ratings = await FakeUpstream.HangingAsync();
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var reviews = await ReviewsServer.StartAsync(
            new ReviewsOptions { Port = 0, EnableRatings = true, RatingsUri = new Uri(ratings.Uri, "/ratings"), RatingsTimeout = timeout }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };

        var clock = Stopwatch.StartNew();
        var text = await client.GetStringAsync("/reviews/0", cts.Token);
        Assert.True(clock.Elapsed >= timeout, $"answered after {clock.Elapsed}");
        Assert.Equal(2, Count(text, "Ratings service is currently unavailable"));
    }

    [Fact]
    public void Ratings_timeout_is_10_s_for_black_and_2_5_s_otherwise()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new ReviewsOptions { StarColor = "black" }.EffectiveRatingsTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), new ReviewsOptions { StarColor = "red" }.EffectiveRatingsTimeout);
    }

    [Fact]
    public async Task Tracing_and_routing_headers_reach_ratings()
    {
        using var cts = Deadline.Start();
        await using var ratings = await FakeUpstream.StartAsync(200, "{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");
        await using var reviews = await ReviewsServer.StartAsync(
            new ReviewsOptions { Port = 0, EnableRatings = true, RatingsUri = new Uri(ratings.Uri, "/ratings") }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/0");
        var sent = new Dictionary<string, string>
        {
            ["x-request-id"] = "8a3a6d4c-1",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ["tracestate"] = "congo=t61rcWkgMzE",
            ["x-b3-traceid"] = "0af7651916cd43dd8448eb211c80319c",
            ["x-b3-spanid"] = "b7ad6b7169203331",
            ["x-b3-parentspanid"] = "a3ce929d0e0e4736",
            ["x-b3-sampled"] = "1",
            ["end-user"] = "jason",
            ["user-agent"] = "bookinfo-test/1.0",
            ["cookie"] = "session=abc",
            ["authorization"] = "Bearer t",
        };
        foreach (var (name, value) in sent)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("x-not-propagated", "no");
        (await client.SendAsync(request, cts.Token)).Dispose();

        var received = Assert.Single(ratings.Received);
        foreach (var (name, value) in sent)
        {
            Assert.Equal(value, received.Headers.GetValueOrDefault(name));
        }

        Assert.False(received.Headers.ContainsKey("x-not-propagated"));
    }

    [Theory]
    [InlineData("/reviews/abc")]
    [InlineData("/reviews/99999999999")]
    [InlineData("/other")]
    public async Task Bad_ids_and_other_paths_are_404(string path)
    {
        using var cts = Deadline.Start();
        await using var reviews = await ReviewsServer.StartAsync(new ReviewsOptions { Port = 0 }, cts.Token);
        using var client = new HttpClient { BaseAddress = reviews.Uri };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path, cts.Token)).StatusCode);
        Assert.Equal("{\"status\": \"Reviews is healthy\"}", await client.GetStringAsync("/health", cts.Token));
    }

    [Fact]
    public void Environment_is_read_as_upstream()
    {
        ReviewsOptions Read(Dictionary<string, string> env) => ReviewsOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!;

        var v1 = Read(new() { ["SERVICE_VERSION"] = "v1" });
        Assert.False(v1.EnableRatings);
        Assert.Equal(new Uri("http://ratings:9080/ratings"), v1.RatingsUri);
        Assert.Null(v1.PodName);

        var v3 = Read(new() { ["SERVICE_VERSION"] = "v3", ["SERVICES_DOMAIN"] = "default.svc.cluster.local", ["HOSTNAME"] = "reviews-v3-xyz", ["CLUSTER_NAME"] = "east" });
        Assert.True(v3.EnableRatings);
        Assert.Equal("red", v3.StarColor);
        Assert.Equal(new Uri("http://ratings.default.svc.cluster.local:9080/ratings"), v3.RatingsUri);
        Assert.Equal("reviews-v3-xyz", v3.PodName);
        Assert.Equal("east", v3.ClusterName);

        // Explicit variables win; ENABLE_RATINGS is a case-insensitive boolean.
        var custom = Read(new() { ["SERVICE_VERSION"] = "v3", ["ENABLE_RATINGS"] = "FALSE", ["STAR_COLOR"] = "blue" });
        Assert.False(custom.EnableRatings);
        Assert.Equal("blue", custom.StarColor);
        Assert.True(Read(new() { ["ENABLE_RATINGS"] = "True" }).EnableRatings);
        Assert.Equal("black", Read(new() { ["ENABLE_RATINGS"] = "True" }).StarColor);
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
