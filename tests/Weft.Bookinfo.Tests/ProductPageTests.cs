using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Weft.Bookinfo.ProductPage;

namespace Weft.Bookinfo.Tests;

/// <summary>BOOKINFO-SPEC §1 and §5: what a user sees on /productpage.</summary>
public sealed partial class ProductPageTests
{
    private const string DetailsJson =
        "{\"id\":0,\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\",\"ISBN-13\":\"123-1234567890\"}";

    private const string ReviewsV1Json =
        "{\"id\": \"0\",\"podname\": \"null\",\"clustername\": \"null\",\"reviews\": [{  \"reviewer\": \"Reviewer1\",  \"text\": \"A\"},{  \"reviewer\": \"Reviewer2\",  \"text\": \"B\"}]}";

    [Fact]
    public async Task Page_looks_like_bookinfo_with_reviews_v1()
    {
        using var cts = Deadline.Start();
        await using var stack = await BookinfoStack.StartAsync("v1", cts.Token);
        using var client = new HttpClient { BaseAddress = stack.ProductPage.Uri };

        using var answer = await client.GetAsync("/productpage", cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        var page = await answer.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal("<title>Simple Bookstore App</title>", TitleTag().Match(page).Value);
        Assert.Contains("BookInfo Sample", page, StringComparison.Ordinal);
        Assert.Contains(">The Comedy of Errors</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<b>William Shakespeare's</b> early plays", page, StringComparison.Ordinal);
        Assert.Contains("Learn more about Istio →", page, StringComparison.Ordinal);
        Assert.Contains("Sign in", page, StringComparison.Ordinal);
        Assert.Contains("Sign in to BookInfo", page, StringComparison.Ordinal);

        Assert.Contains("Book Details", page, StringComparison.Ordinal);
        Assert.Equal(["ISBN-10", "Publisher", "Pages", "Type", "Language"], Cells(page, "th"));
        Assert.Equal(["1234567890", "PublisherA", "200", "paperback", "English"], Cells(page, "td"));

        Assert.Contains("Book Reviews", page, StringComparison.Ordinal);
        Assert.Contains("\"An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!\"", page, StringComparison.Ordinal);
        Assert.Contains("Reviewer1", page, StringComparison.Ordinal);
        Assert.Contains("Reviewer2", page, StringComparison.Ordinal);
        Assert.Contains("Reviews served by: <span>reviews-v1-abc</span>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("on cluster", page, StringComparison.Ordinal);
        Assert.Equal(0, Count(page, "glyphicon glyphicon-star"));
        Assert.DoesNotContain("flex gap-x-1", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v2", "flex gap-x-1 text-black-500\"")]
    [InlineData("v3", "flex gap-x-1 text-red-500\"")]
    public async Task Reviews_v2_and_v3_show_nine_stars_in_their_colour(string version, string container)
    {
        using var cts = Deadline.Start();
        await using var stack = await BookinfoStack.StartAsync(version, cts.Token);
        using var client = new HttpClient { BaseAddress = stack.ProductPage.Uri };

        var page = await client.GetStringAsync("/productpage", cts.Token);
        // 5 filled + 4 filled (and one outline): the docs' tests count 9.
        Assert.Equal(9, Count(page, "glyphicon glyphicon-star"));
        Assert.Equal(2, Count(page, container));
        Assert.Equal(10, Count(page, "<svg "));
        Assert.DoesNotContain("Ratings service is currently unavailable", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_as_jason_shows_the_user_and_sign_out_and_logout_forgets_him()
    {
        using var cts = Deadline.Start();
        await using var stack = await BookinfoStack.StartAsync("v1", cts.Token);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = stack.ProductPage.Uri };

        // The docs' scripted login: curl -c cookies /login --data "username=jason&passwd=password".
        using var login = await client.PostAsync(
            "/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "jason", ["passwd"] = "password" }), cts.Token);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await client.GetStringAsync("/productpage", cts.Token);
        Assert.Contains("<span>jason</span>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"logout\">Sign out</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign in", page, StringComparison.Ordinal);

        using var logoutRequest = new HttpRequestMessage(HttpMethod.Get, "/logout");
        logoutRequest.Headers.Referrer = new Uri(stack.ProductPage.Uri, "/productpage");
        using var logout = await client.SendAsync(logoutRequest, cts.Token);
        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal(new Uri(stack.ProductPage.Uri, "/productpage"), logout.Headers.Location);

        page = await client.GetStringAsync("/productpage", cts.Token);
        Assert.DoesNotContain("jason", page, StringComparison.Ordinal);
        Assert.Contains("Sign in", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_only_by_post_and_logout_only_by_get_and_a_forged_cookie_is_ignored()
    {
        using var cts = Deadline.Start();
        await using var stack = await BookinfoStack.StartAsync("v1", cts.Token);
        using var client = new HttpClient { BaseAddress = stack.ProductPage.Uri };
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync("/login", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/logout", null, cts.Token)).StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/productpage");
        forged.Headers.Add("Cookie", "session=amFzb24.AAAA");
        using var answer = await client.SendAsync(forged, cts.Token);
        Assert.DoesNotContain("jason", await answer.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_user_goes_downstream_as_end_user_on_every_call()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.StartAsync(200, DetailsJson);
        await using var reviews = await FakeUpstream.StartAsync(200, ReviewsV1Json);
        await using var ratings = await FakeUpstream.StartAsync(200, "{\"id\":0,\"ratings\":{}}");
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri, RatingsUri = ratings.Uri }, cts.Token);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = productPage.Uri };

        // Not signed in: no end-user, and an inbound end-user is not passed on.
        using (var anonymous = new HttpRequestMessage(HttpMethod.Get, "/productpage"))
        {
            anonymous.Headers.Add("end-user", "mallory");
            (await client.SendAsync(anonymous, cts.Token)).Dispose();
        }

        Assert.False(Assert.Single(details.Received).Headers.ContainsKey("end-user"));
        Assert.False(Assert.Single(reviews.Received).Headers.ContainsKey("end-user"));

        (await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "jason", ["passwd"] = "x" }), cts.Token)).Dispose();
        (await client.GetAsync("/productpage", cts.Token)).Dispose();
        (await client.GetAsync("/api/v1/products/0/ratings", cts.Token)).Dispose();

        Assert.Equal("jason", details.Received.Last().Headers["end-user"]);
        Assert.Equal("jason", reviews.Received.Last().Headers["end-user"]);
        Assert.Equal("jason", Assert.Single(ratings.Received).Headers["end-user"]);
        // The session cookie is propagated too.
        Assert.StartsWith("session=", reviews.Received.Last().Headers["cookie"], StringComparison.Ordinal);
        Assert.Equal("/details/0", details.Received.Last().PathAndQuery);
        Assert.Equal("/reviews/0", reviews.Received.Last().PathAndQuery);
        Assert.Equal("/ratings/0", ratings.Received.Last().PathAndQuery);
    }

    [Fact]
    public async Task Tracing_headers_propagate_to_details_and_reviews()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.StartAsync(200, DetailsJson);
        await using var reviews = await FakeUpstream.StartAsync(200, ReviewsV1Json);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        var verbatim = new Dictionary<string, string>
        {
            ["x-request-id"] = "2f1b7c5e-3f0a-9d3e-8c62-1b1f8e3a4d5c",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ["tracestate"] = "congo=t61rcWkgMzE",
            ["x-ot-span-context"] = "ot",
            ["x-datadog-trace-id"] = "1",
            ["x-datadog-parent-id"] = "2",
            ["x-datadog-sampling-priority"] = "1",
            ["x-cloud-trace-context"] = "105445aa7843bc8bf206b12000100000/1;o=1",
            ["grpc-trace-bin"] = "AAAA",
            ["sw8"] = "1-abc",
            ["user-agent"] = "bookinfo-test/1.0",
            ["cookie"] = "foo=bar",
            ["authorization"] = "Bearer token",
            ["jwt"] = "header.payload.signature",
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/productpage");
        foreach (var (name, value) in verbatim)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Add("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
        request.Headers.Add("x-b3-spanid", "e457b5a2e4d86bd1");
        request.Headers.Add("x-b3-parentspanid", "05e3ac9a4f6e3b90");
        request.Headers.Add("x-b3-sampled", "1");
        request.Headers.Add("x-unrelated", "no");
        (await client.SendAsync(request, cts.Token)).Dispose();

        foreach (var upstream in new[] { details, reviews })
        {
            var received = Assert.Single(upstream.Received).Headers;
            foreach (var (name, value) in verbatim)
            {
                Assert.Equal(value, received.GetValueOrDefault(name));
            }

            // B3: the same trace and span ids (not a child span), no parent span id.
            Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", received["x-b3-traceid"]);
            Assert.Equal("e457b5a2e4d86bd1", received["x-b3-spanid"]);
            Assert.Equal("1", received["x-b3-sampled"]);
            Assert.False(received.ContainsKey("x-b3-parentspanid"));
            Assert.False(received.ContainsKey("x-unrelated"));
        }
    }

    [Fact]
    public async Task Single_b3_header_goes_downstream_as_b3_multi_headers()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.StartAsync(200, DetailsJson);
        await using var reviews = await FakeUpstream.StartAsync(200, ReviewsV1Json);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        using var request = new HttpRequestMessage(HttpMethod.Get, "/productpage");
        request.Headers.Add("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-d");
        (await client.SendAsync(request, cts.Token)).Dispose();

        var received = Assert.Single(details.Received).Headers;
        Assert.Equal("000000000000000064fe8b2a57d3eff7", received["x-b3-traceid"]);
        Assert.Equal("e457b5a2e4d86bd1", received["x-b3-spanid"]);
        Assert.Equal("1", received["x-b3-sampled"]);

        // No (valid) context in: no B3 out.
        using var none = new HttpRequestMessage(HttpMethod.Get, "/productpage");
        none.Headers.Add("x-b3-traceid", "not-hex");
        (await client.SendAsync(none, cts.Token)).Dispose();
        Assert.DoesNotContain(details.Received.Last().Headers.Keys, k => k.StartsWith("x-b3-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Details_and_reviews_down_show_upstreams_messages()
    {
        using var cts = Deadline.Start();
        using var refused = new RefusedPort();
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = refused.Uri, ReviewsUri = refused.Uri }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        using var answer = await client.GetAsync("/productpage", cts.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync(cts.Token);
        Assert.Contains("Error fetching product details", page, StringComparison.Ordinal);
        Assert.Contains("Sorry, product details are currently unavailable for this book.", page, StringComparison.Ordinal);
        Assert.Contains("Error fetching product reviews", page, StringComparison.Ordinal);
        Assert.Contains("Sorry, product reviews are currently unavailable for this book.", page, StringComparison.Ordinal);
        // The description names the author even so (the authz task greps for it).
        Assert.Contains("William Shakespeare", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Book Details", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Book Reviews", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ratings_down_shows_the_ratings_message_twice_with_the_reviews()
    {
        using var cts = Deadline.Start();
        using var refused = new RefusedPort();
        await using var details = await Weft.Bookinfo.Details.DetailsServer.StartAsync(new() { Port = 0 }, cts.Token);
        await using var reviews = await Weft.Bookinfo.Reviews.ReviewsServer.StartAsync(
            new() { Port = 0, EnableRatings = true, StarColor = "red", RatingsUri = new Uri(refused.Uri, "/ratings") }, cts.Token);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        var page = await client.GetStringAsync("/productpage", cts.Token);
        Assert.Equal(2, Count(page, "<p class=\"text-red-500\">Ratings service is currently unavailable</p>"));
        Assert.Contains("Book Reviews", page, StringComparison.Ordinal);
        Assert.Contains("Reviewer2", page, StringComparison.Ordinal);
        Assert.Equal(0, Count(page, "glyphicon glyphicon-star"));
    }

    [Fact]
    public async Task Details_timeout_shows_the_details_message_after_one_attempt()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.HangingAsync();
        await using var reviews = await FakeUpstream.StartAsync(200, ReviewsV1Json);
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri, DetailsTimeout = timeout }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        var clock = Stopwatch.StartNew();
        var page = await client.GetStringAsync("/productpage", cts.Token);
        Assert.True(clock.Elapsed >= timeout, $"answered after {clock.Elapsed}");
        Assert.Contains("Error fetching product details", page, StringComparison.Ordinal);
        Assert.Contains("Sorry, product details are currently unavailable for this book.", page, StringComparison.Ordinal);
        Assert.Contains("Book Reviews", page, StringComparison.Ordinal);
        Assert.Single(details.Received);
    }

    [Fact]
    public async Task Reviews_timeout_shows_the_reviews_message_after_two_attempts()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.StartAsync(200, DetailsJson);
        await using var reviews = await FakeUpstream.HangingAsync();
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri, ReviewsTimeout = timeout }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        var clock = Stopwatch.StartNew();
        var page = await client.GetStringAsync("/productpage", cts.Token);
        // Two attempts of 0.3 s each: the fault-injection task's "about 6 s" with upstream's 3 s.
        Assert.True(clock.Elapsed >= 2 * timeout, $"answered after {clock.Elapsed}");
        Assert.Equal(2, reviews.Received.Count);
        Assert.Contains("Error fetching product reviews", page, StringComparison.Ordinal);
        Assert.Contains("Sorry, product reviews are currently unavailable for this book.", page, StringComparison.Ordinal);
        Assert.Contains("Book Details", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_python_style_json_and_upstreams_error_objects()
    {
        using var cts = Deadline.Start();
        await using var stack = await BookinfoStack.StartAsync("v2", cts.Token);
        using var client = new HttpClient { BaseAddress = stack.ProductPage.Uri };

        using var products = await client.GetAsync("/api/v1/products", cts.Token);
        Assert.Equal("application/json", products.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "[{\"id\": 0, \"title\": \"The Comedy of Errors\", \"descriptionHtml\": \"<a href=\\\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\\\">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.\"}]",
            await products.Content.ReadAsStringAsync(cts.Token));

        Assert.Equal(
            "{\"id\": 0, \"author\": \"William Shakespeare\", \"year\": 1595, \"type\": \"paperback\", \"pages\": 200, \"publisher\": \"PublisherA\", \"language\": \"English\", \"ISBN-10\": \"1234567890\", \"ISBN-13\": \"123-1234567890\"}",
            await client.GetStringAsync("/api/v1/products/0", cts.Token));
        Assert.Equal(
            "{\"id\": 0, \"ratings\": {\"Reviewer1\": 5, \"Reviewer2\": 4}}",
            await client.GetStringAsync("/api/v1/products/0/ratings", cts.Token));
        var reviews = await client.GetStringAsync("/api/v1/products/0/reviews", cts.Token);
        Assert.StartsWith("{\"id\": \"0\", \"podname\": \"reviews-v2-abc\", \"clustername\": \"null\", \"reviews\": [{\"reviewer\": \"Reviewer1\", \"text\": ", reviews, StringComparison.Ordinal);
        Assert.Contains("\"rating\": {\"stars\": 5, \"color\": \"black\"}", reviews, StringComparison.Ordinal);

        // The id goes through to details, which refuses it: its status, productpage's error object.
        using var bad = await client.GetAsync("/api/v1/products/abc", cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("{\"error\": \"Sorry, product details are currently unavailable for this book.\"}", await bad.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task Api_errors_carry_the_upstream_status_or_500()
    {
        using var cts = Deadline.Start();
        using var refused = new RefusedPort();
        await using var denied = await FakeUpstream.StartAsync(403, "RBAC: access denied", "text/plain");
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = refused.Uri, ReviewsUri = denied.Uri, RatingsUri = denied.Uri }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        using var details = await client.GetAsync("/api/v1/products/0", cts.Token);
        Assert.Equal(HttpStatusCode.InternalServerError, details.StatusCode);
        Assert.Equal("{\"error\": \"Sorry, product details are currently unavailable for this book.\"}", await details.Content.ReadAsStringAsync(cts.Token));

        using var reviews = await client.GetAsync("/api/v1/products/0/reviews", cts.Token);
        Assert.Equal(HttpStatusCode.Forbidden, reviews.StatusCode);
        Assert.Equal("{\"error\": \"Sorry, product reviews are currently unavailable for this book.\"}", await reviews.Content.ReadAsStringAsync(cts.Token));

        using var ratings = await client.GetAsync("/api/v1/products/0/ratings", cts.Token);
        Assert.Equal(HttpStatusCode.Forbidden, ratings.StatusCode);
        Assert.Equal("{\"error\": \"Sorry, product ratings are currently unavailable for this book.\"}", await ratings.Content.ReadAsStringAsync(cts.Token));

        // reviews got two attempts, ratings one.
        Assert.Equal(3, denied.Received.Count);

        var metrics = await client.GetStringAsync("/metrics", cts.Token);
        Assert.Contains("request_result_total{destination_app=\"details\",response_code=\"500\"} 1.0", metrics, StringComparison.Ordinal);
        Assert.Contains("request_result_total{destination_app=\"reviews\",response_code=\"403\"} 1.0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_health_and_static_files()
    {
        using var cts = Deadline.Start();
        await using var productPage = await ProductPageServer.StartAsync(new ProductPageOptions { Port = 0 }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        foreach (var path in new[] { "/", "/index.html" })
        {
            var index = await client.GetStringAsync(path, cts.Token);
            Assert.Contains("Hello! This is a simple bookstore application consisting of three services as shown below", index, StringComparison.Ordinal);
            Assert.Contains("<td>http://details:9080</td>", index, StringComparison.Ordinal);
            Assert.Contains("<td>http://reviews:9080</td>", index, StringComparison.Ordinal);
            Assert.Contains("<td>http://ratings:9080</td>", index, StringComparison.Ordinal);
            Assert.Contains("Click on one of the links below to auto generate a request to the backend as a real user or a tester", index, StringComparison.Ordinal);
            Assert.Contains("href=\"/productpage?u=normal\">Normal user</a>", index, StringComparison.Ordinal);
            Assert.Contains("href=\"/productpage?u=test\">Test user</a>", index, StringComparison.Ordinal);
        }

        Assert.Equal("Product page is healthy", await client.GetStringAsync("/health", cts.Token));

        using var css = await client.GetAsync("/static/tailwind/tailwind.css", cts.Token);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".text-red-500", await css.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);

        using var png = await client.GetAsync("/static/img/izzy.png", cts.Token);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nothing", cts.Token)).StatusCode);
    }

    [Fact]
    public void Environment_names_the_upstreams_as_upstream()
    {
        var defaults = ProductPageOptions.FromEnvironment([], _ => null)!;
        Assert.Equal(new Uri("http://details:9080"), defaults.DetailsUri);
        Assert.Equal(new Uri("http://reviews:9080"), defaults.ReviewsUri);
        Assert.Equal(new Uri("http://ratings:9080"), defaults.RatingsUri);
        Assert.Equal(TimeSpan.FromSeconds(3), defaults.DetailsTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), defaults.ReviewsTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), defaults.RatingsTimeout);
        Assert.Equal(9080, defaults.Port);
        Assert.Equal(0, defaults.FloodFactor);

        var env = new Dictionary<string, string>
        {
            ["SERVICES_DOMAIN"] = "bookinfo.svc.cluster.local",
            ["DETAILS_HOSTNAME"] = "details-v1",
            ["REVIEWS_SERVICE_PORT"] = "9081",
            ["FLOOD_FACTOR"] = "100",
        };
        var custom = ProductPageOptions.FromEnvironment([], name => env.GetValueOrDefault(name))!;
        Assert.Equal(new Uri("http://details-v1.bookinfo.svc.cluster.local:9080"), custom.DetailsUri);
        Assert.Equal(new Uri("http://reviews.bookinfo.svc.cluster.local:9081"), custom.ReviewsUri);
        Assert.Equal(100, custom.FloodFactor);
    }

    [Fact]
    public async Task Flood_factor_sends_extra_reviews_calls()
    {
        using var cts = Deadline.Start();
        await using var details = await FakeUpstream.StartAsync(200, DetailsJson);
        await using var reviews = await FakeUpstream.StartAsync(200, ReviewsV1Json);
        await using var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri, FloodFactor = 3 }, cts.Token);
        using var client = new HttpClient { BaseAddress = productPage.Uri };

        (await client.GetAsync("/productpage", cts.Token)).Dispose();
        Assert.Equal(4, reviews.Received.Count);
        Assert.Single(details.Received);
    }

    internal static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string[] Cells(string page, string tag) =>
        Regex.Matches(page, $"<{tag}[^>]*>([^<]*)</{tag}>").Select(m => m.Groups[1].Value).ToArray();

    [GeneratedRegex("<title>.*</title>")]
    private static partial Regex TitleTag();
}
