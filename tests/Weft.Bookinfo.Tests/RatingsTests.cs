using System.Net;
using System.Text;
using Weft.Bookinfo.Ratings;

namespace Weft.Bookinfo.Tests;

/// <summary>BOOKINFO-SPEC §4.</summary>
public sealed class RatingsTests
{
    private static Task<RatingsServer> Start(RatingsOptions? options = null) =>
        RatingsServer.StartAsync((options ?? new RatingsOptions()) with { Port = 0 });

    [Fact]
    public async Task Health_and_default_ratings_are_upstreams_json()
    {
        using var cts = Deadline.Start();
        await using var ratings = await Start();
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        using var health = await client.GetAsync("/health", cts.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("{\"status\":\"Ratings is healthy\"}", await health.Content.ReadAsStringAsync(cts.Token));

        using var answer = await client.GetAsync("/ratings/0", cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}", await answer.Content.ReadAsStringAsync(cts.Token));

        // parseInt semantics: digits up to the first other character.
        Assert.Equal("{\"id\":7,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}", await client.GetStringAsync("/ratings/7abc", cts.Token));
    }

    [Theory]
    [InlineData("/ratings/abc")]
    [InlineData("/ratings/")]
    public async Task Non_numeric_id_is_400(string path)
    {
        using var cts = Deadline.Start();
        await using var ratings = await Start();
        using var client = new HttpClient { BaseAddress = ratings.Uri };
        using var answer = await client.GetAsync(path, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("{\"error\":\"please provide numeric product ID\"}", await answer.Content.ReadAsStringAsync(cts.Token));
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/ratings")]
    [InlineData("PUT", "/ratings/0")]
    [InlineData("POST", "/health")]
    public async Task Unknown_paths_and_methods_are_404_with_an_empty_body(string method, string path)
    {
        using var cts = Deadline.Start();
        await using var ratings = await Start();
        using var client = new HttpClient { BaseAddress = ratings.Uri };
        using var answer = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), cts.Token);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("", await answer.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task Posted_ratings_are_stored_and_returned()
    {
        using var cts = Deadline.Start();
        await using var ratings = await Start();
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        using var bad = await client.PostAsync("/ratings/3", new StringContent("{not json", Encoding.UTF8, "application/json"), cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("{\"error\":\"please provide valid ratings JSON\"}", await bad.Content.ReadAsStringAsync(cts.Token));

        using var posted = await client.PostAsync("/ratings/3", new StringContent("{\"Reviewer1\": 1, \"Reviewer2\": 2}", Encoding.UTF8, "application/json"), cts.Token);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("{\"id\":3,\"ratings\":{\"Reviewer1\":1,\"Reviewer2\":2}}", await posted.Content.ReadAsStringAsync(cts.Token));
        Assert.Equal("{\"id\":3,\"ratings\":{\"Reviewer1\":1,\"Reviewer2\":2}}", await client.GetStringAsync("/ratings/3", cts.Token));
        Assert.Equal("{\"id\":4,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}", await client.GetStringAsync("/ratings/4", cts.Token));
    }

    [Fact]
    public async Task Faulty_version_answers_503_when_the_coin_says_so()
    {
        using var cts = Deadline.Start();
        var coin = 0.2;
        await using var ratings = await Start(new RatingsOptions { ServiceVersion = "v-faulty", Random = () => coin });
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        using var faulted = await client.GetAsync("/ratings/0", cts.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal("{\"error\":\"Service unavailable\"}", await faulted.Content.ReadAsStringAsync(cts.Token));

        coin = 0.9;
        using var fine = await client.GetAsync("/ratings/0", cts.Token);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Delayed_version_delays_when_the_coin_says_so()
    {
        using var cts = Deadline.Start();
        var time = new ManualTimeProvider();
        await using var ratings = await Start(new RatingsOptions { ServiceVersion = "v-delayed", Random = () => 0.1, TimeProvider = time });
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        var pending = client.GetStringAsync("/ratings/0", cts.Token);
        // Held on the 7 s delay: wait for its timer, then move the clock just short of and past it.
        while (time.PendingTimers == 0)
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(10, cts.Token);
        }

        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}", await pending);
    }

    [Fact]
    public async Task Unavailable_version_flips_every_minute()
    {
        using var cts = Deadline.Start();
        var time = new ManualTimeProvider();
        await using var ratings = await Start(new RatingsOptions { ServiceVersion = "v-unavailable", TimeProvider = time });
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ratings/0", cts.Token)).StatusCode);
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/ratings/0", cts.Token)).StatusCode);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ratings/0", cts.Token)).StatusCode);
    }

    [Fact]
    public async Task Unhealthy_version_flips_health_and_answers_every_15_minutes()
    {
        using var cts = Deadline.Start();
        var time = new ManualTimeProvider();
        await using var ratings = await Start(new RatingsOptions { ServiceVersion = "v-unhealthy", TimeProvider = time });
        using var client = new HttpClient { BaseAddress = ratings.Uri };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", cts.Token)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(16));
        using var health = await client.GetAsync("/health", cts.Token);
        Assert.Equal(HttpStatusCode.InternalServerError, health.StatusCode);
        Assert.Equal("{\"status\":\"Ratings is not healthy\"}", await health.Content.ReadAsStringAsync(cts.Token));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/ratings/0", cts.Token)).StatusCode);
    }

    [Fact]
    public void Environment_is_read_as_upstream()
    {
        var env = new Dictionary<string, string> { ["SERVICE_VERSION"] = "v-faulty", ["PORT"] = "9999" };
        var options = RatingsOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!;
        Assert.Equal("v-faulty", options.ServiceVersion);
        Assert.Equal(9999, options.Port);
        Assert.Equal(IPAddress.Loopback, options.Address);

        // Options win over variables.
        options = RatingsOptions.FromEnvironment(["--port", "0", "--address=0.0.0.0"], name => env.GetValueOrDefault(name))!;
        Assert.Equal(0, options.Port);
        Assert.Equal(IPAddress.Any, options.Address);
        Assert.Null(RatingsOptions.FromEnvironment(["--help"], _ => null));
        Assert.Throws<ArgumentException>(() => RatingsOptions.FromEnvironment(["--port", "http"], _ => null));
        Assert.Throws<ArgumentException>(() => RatingsOptions.FromEnvironment(["--bogus"], _ => null));
    }
}
