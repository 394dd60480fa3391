using System.Net;
using System.Text.RegularExpressions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>
/// The getting-started with Bookinfo, locally, through `weft demo` run as a new user would run it:
/// the product page through the gateway, all three reviews versions, a real browser signing in,
/// mesh routes steering reviews, upstream's messages when services fail, and a clean Ctrl-C.
/// </summary>
[Collection("e2e")]
public sealed partial class BookinfoTests
{
    private static string Artifacts => Path.Combine(WeftCli.RepoRoot, "artifacts", "screenshots");

    private static string Route(string file) => Path.Combine(WeftCli.RepoRoot, "samples", "bookinfo", "gateway-api", file);

    /// <summary>Which reviews version rendered a page: v1 has no stars, v2 black, v3 red.</summary>
    private static string ReviewsVersion(string html) =>
        html.Contains("text-red-500", StringComparison.Ordinal) && html.Contains("glyphicon-star", StringComparison.Ordinal) ? "v3"
        : html.Contains("text-black-500", StringComparison.Ordinal) && html.Contains("glyphicon-star", StringComparison.Ordinal) ? "v2"
        : "v1";

    private static HttpClient Client(Uri gateway, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { UseProxy = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = true })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(15),
        };

    [Fact]
    public async Task Demo_serves_the_product_page_with_all_three_reviews_versions_and_ctrl_c_leaves_nothing()
    {
        var demo = await LocalDemo.StartAsync();
        await using (demo)
        {
            Assert.True(demo.Startup < TimeSpan.FromSeconds(60), $"weft demo took {demo.Startup.TotalSeconds:0.0} s to serve the page");
            var workloads = demo.WorkloadProcesses();
            Assert.Equal(6, workloads.Count);

            using var http = Client(demo.Gateway);
            var seen = new HashSet<string>();
            for (var i = 0; i < 60 && seen.Count < 3; i++)
            {
                var html = await http.GetStringAsync("productpage");
                Assert.Contains("<title>Simple Bookstore App</title>", html);
                Assert.Contains("The Comedy of Errors", html);
                Assert.Contains("Book Details", html);
                Assert.Contains("Book Reviews", html);
                Assert.Contains("PublisherA", html); // the details table, from the details service
                seen.Add(ReviewsVersion(html));
            }

            Assert.Equal(["v1", "v2", "v3"], seen.Order());

            // Ctrl-C: the demo stops, and so does every workload it started.
            Assert.Equal(0, await demo.Process.InterruptAsync(TimeSpan.FromSeconds(60)));
            foreach (var pid in workloads.Keys)
            {
                Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"workload process {pid} is still running: {workloads[pid]}");
            }
        }
    }

    [Fact]
    public async Task A_real_browser_signs_in_as_jason_and_sees_the_signed_in_page()
    {
        Assert.True(Browser.Executable is not null, "chromium is not installed; .ci/run installs it (apt-get install chromium)");
        await using var demo = await LocalDemo.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        await browser.NavigateAsync(new Uri(demo.Gateway, "productpage").ToString());
        var text = await browser.TextAsync();
        Assert.Contains("The Comedy of Errors", text);
        Assert.Contains("Sign in", text);
        await browser.ScreenshotAsync(Path.Combine(Artifacts, "bookinfo-productpage.png"));

        await browser.EvaluateAsync("document.getElementById('sign-in').showModal()");
        await browser.EvaluateAndWaitForLoadAsync("""
            document.getElementById('username').value = 'jason';
            document.getElementById('passwd').value = 'password';
            document.forms['login_form'].submit();
            """);
        text = await browser.TextAsync();
        Assert.Contains("jason", text);
        Assert.Contains("Sign out", text);
        Assert.Contains("Book Reviews", text);
        await browser.ScreenshotAsync(Path.Combine(Artifacts, "bookinfo-signed-in-as-jason.png"));
        Assert.True(new FileInfo(Path.Combine(Artifacts, "bookinfo-signed-in-as-jason.png")).Length > 10_000);
    }

    [Fact]
    public async Task Mesh_routes_send_everyone_to_v1_then_jason_to_v2()
    {
        await using var demo = await LocalDemo.StartAsync();
        var applied = await demo.CliAsync("apply", "-f", Route("route-reviews-v1.yaml"));
        Assert.True(applied.ExitCode == 0, applied.ToString());

        using var anonymous = Client(demo.Gateway);
        await Eventually.UntilAsync(async () => ReviewsVersion(await anonymous.GetStringAsync("productpage")), v => v == "v1", TimeSpan.FromSeconds(5), "reviews v1");
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal("v1", ReviewsVersion(await anonymous.GetStringAsync("productpage")));
        }

        applied = await demo.CliAsync("apply", "-f", Route("route-jason-v2.yaml"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using var jason = Client(demo.Gateway);
        using (var login = await jason.PostAsync("login", new FormUrlEncodedContent([new("username", "jason"), new("passwd", "password")])))
        {
            Assert.True(login.IsSuccessStatusCode, $"login: {(int)login.StatusCode}");
        }

        await Eventually.UntilAsync(async () => ReviewsVersion(await jason.GetStringAsync("productpage")), v => v == "v2", TimeSpan.FromSeconds(5), "jason to see v2");
        for (var i = 0; i < 10; i++)
        {
            var page = await jason.GetStringAsync("productpage");
            Assert.Contains("jason", page);
            Assert.Equal("v2", ReviewsVersion(page));
            Assert.Equal("v1", ReviewsVersion(await anonymous.GetStringAsync("productpage")));
        }

        var explain = await demo.CliAsync("x", "explain", "GET", "http://reviews:9080/reviews/0", "-H", "end-user:jason");
        Assert.Contains("backend   default/reviews-v2:9080", explain.Stdout);
    }

    /// <summary>Istio's own Bookinfo routing files, read in place from ../shared, work unchanged.</summary>
    [Fact]
    public async Task Istio_virtual_services_and_destination_rules_steer_reviews()
    {
        var networking = Path.Combine(WeftCli.RepoRoot, "..", "shared", "istio-samples", "bookinfo", "networking");
        await using var demo = await LocalDemo.StartAsync();
        var applied = await demo.CliAsync("apply", "-f", Path.Combine(networking, "destination-rule-all.yaml"), "-f", Path.Combine(networking, "virtual-service-all-v1.yaml"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("virtualservice.networking.istio.io/reviews -n default created", applied.Stdout);

        using var anonymous = Client(demo.Gateway);
        await Eventually.UntilAsync(async () => ReviewsVersion(await anonymous.GetStringAsync("productpage")), v => v == "v1", TimeSpan.FromSeconds(5), "reviews v1");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("v1", ReviewsVersion(await anonymous.GetStringAsync("productpage")));
        }

        applied = await demo.CliAsync("apply", "-f", Path.Combine(networking, "virtual-service-reviews-test-v2.yaml"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using var jason = Client(demo.Gateway);
        using (var login = await jason.PostAsync("login", new FormUrlEncodedContent([new("username", "jason"), new("passwd", "password")])))
        {
            Assert.True(login.IsSuccessStatusCode);
        }

        await Eventually.UntilAsync(async () => ReviewsVersion(await jason.GetStringAsync("productpage")), v => v == "v2", TimeSpan.FromSeconds(5), "jason to see v2");
        Assert.Equal("v1", ReviewsVersion(await anonymous.GetStringAsync("productpage")));
        var explain = await demo.CliAsync("x", "explain", "GET", "http://reviews:9080/reviews/0", "-H", "end-user:jason");
        Assert.Contains("backend   default/reviews:9080/v2", explain.Stdout);
    }

    [Fact]
    public async Task Stopped_services_show_upstream_messages_not_an_error_page()
    {
        await using var demo = await LocalDemo.StartAsync();
        var applied = await demo.CliAsync("apply", "-f", Route("route-reviews-v3.yaml"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using var http = Client(demo.Gateway);
        await Eventually.UntilAsync(async () => ReviewsVersion(await http.GetStringAsync("productpage")), v => v == "v3", TimeSpan.FromSeconds(5), "reviews v3");

        demo.Kill("Weft.Bookinfo.Ratings.dll");
        var page = await Eventually.UntilAsync(() => http.GetStringAsync("productpage"), p => p.Contains("Ratings service is currently unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the ratings message");
        Assert.Contains("The Comedy of Errors", page);

        demo.Kill("Weft.Bookinfo.Details.dll");
        page = await Eventually.UntilAsync(() => http.GetStringAsync("productpage"), p => p.Contains("Sorry, product details are currently unavailable for this book.", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the details message");

        foreach (var (pid, cmdline) in demo.WorkloadProcesses().Where(p => p.Value.Contains("Weft.Bookinfo.Reviews.dll", StringComparison.Ordinal)))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        page = await Eventually.UntilAsync(() => http.GetStringAsync("productpage"), p => p.Contains("Sorry, product reviews are currently unavailable for this book.", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the reviews message");
        Assert.Contains("<title>Simple Bookstore App</title>", page);
        Assert.Matches(StatusLine(), demo.Process.Stdout);
    }

    [GeneratedRegex(@"\[reviews-v\d\] exited with code -?\d+; removed from the mesh")]
    private static partial Regex StatusLine();
}
