using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// productpage (upstream: Python/Flask): the Bookinfo web page and its API. It calls details, then reviews, with
/// the caller's tracing headers and the signed-in user as <c>end-user</c>.
/// </summary>
public sealed class ProductPageServer : IRunningService
{
    private readonly ServiceHost _host;

    private ProductPageServer(ServiceHost host) => _host = host;

    public IPEndPoint EndPoint => _host.EndPoint;

    /// <summary><c>http://address:port/</c>.</summary>
    public Uri Uri => _host.Uri;

    public static async Task<ProductPageServer> StartAsync(ProductPageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = await ServiceHost.StartAsync(
            options.Address,
            options.Port,
            services =>
            {
                services.AddSingleton(options);
                services.AddSingleton(new SessionCookie(options.SessionKey));
                services.AddSingleton(new RequestMetrics(options.TimeProvider));
                services.AddSingleton<Upstreams>();
                services.AddSingleton<ProductPageHandler>();
                services.AddOutboundHttpClient(Upstreams.Client);
            },
            app =>
            {
                var handler = app.Services.GetRequiredService<ProductPageHandler>();
                // /static/tailwind/tailwind.css and /static/img/izzy.png, from the assembly.
                app.UseStaticFiles(new StaticFileOptions
                {
                    RequestPath = "/static",
                    FileProvider = new EmbeddedFileProvider(typeof(ProductPageServer).Assembly, "Weft.Bookinfo.ProductPage.static"),
                });
                app.MapGet("/", handler.IndexAsync);
                app.MapGet("/index.html", handler.IndexAsync);
                app.MapGet("/health", ProductPageHandler.HealthAsync);
                app.MapGet("/productpage", handler.ProductPageAsync);
                app.MapPost("/login", handler.LoginAsync);
                app.MapGet("/logout", ProductPageHandler.LogoutAsync);
                app.MapGet("/api/v1/products", ProductPageHandler.ProductsAsync);
                app.MapGet("/api/v1/products/{id}", handler.ProductAsync);
                app.MapGet("/api/v1/products/{id}/reviews", handler.ProductReviewsAsync);
                app.MapGet("/api/v1/products/{id}/ratings", handler.ProductRatingsAsync);
                app.MapGet("/metrics", handler.MetricsAsync);
            },
            cancellationToken);
        return new ProductPageServer(host);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _host.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

internal sealed class ProductPageHandler(ProductPageOptions options, SessionCookie session, Upstreams upstreams, RequestMetrics metrics)
{
    // The page always shows product 0.
    private const string ProductId = "0";

    public Task IndexAsync(HttpContext context) => Html(context, Pages.Index(options));

    public static Task HealthAsync(HttpContext context) => Html(context, "Product page is healthy");

    public async Task ProductPageAsync(HttpContext context)
    {
        var user = session.User(context.Request);
        var headers = ForwardHeaders.For(context.Request, user);
        var token = context.RequestAborted;

        // Sequential, as upstream: details, then (FLOOD_FACTOR) extra reviews calls, then reviews.
        var details = await upstreams.DetailsAsync(ProductId, headers, token);
        if (options.FloodFactor > 0)
        {
            await Task.WhenAll(Enumerable.Range(0, options.FloodFactor).Select(_ => upstreams.ReviewsAsync(ProductId, headers, token)));
        }

        var reviews = await upstreams.ReviewsAsync(ProductId, headers, token);
        await Html(context, Pages.ProductPage(user, details, reviews));
    }

    public async Task LoginAsync(HttpContext context)
    {
        // Any user name, any password (passwd is ignored). The query string wins over the form, as Flask's request.values.
        string? user = context.Request.Query["username"].FirstOrDefault();
        if (user is null && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            user = form["username"].FirstOrDefault();
        }

        if (user is null)
        {
            SessionCookie.SignOut(context.Response);
        }
        else
        {
            session.SignIn(context.Response, user);
        }

        BackToReferer(context);
    }

    public static Task LogoutAsync(HttpContext context)
    {
        SessionCookie.SignOut(context.Response);
        BackToReferer(context);
        return Task.CompletedTask;
    }

    public static Task ProductsAsync(HttpContext context) => Json(context, 200, Products.ListJson);

    public Task ProductAsync(HttpContext context) => ApiAsync(context, upstreams.DetailsAsync);

    public Task ProductReviewsAsync(HttpContext context) => ApiAsync(context, upstreams.ReviewsAsync);

    public Task ProductRatingsAsync(HttpContext context) => ApiAsync(context, upstreams.RatingsAsync);

    public Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
    }

    private async Task ApiAsync(
        HttpContext context,
        Func<string, IReadOnlyList<KeyValuePair<string, string>>, CancellationToken, Task<UpstreamResult>> call)
    {
        // The id goes to the upstream as given; the upstream validates it.
        var id = (string)context.Request.RouteValues["id"]!;
        var result = await call(id, ForwardHeaders.For(context.Request, session.User(context.Request)), context.RequestAborted);
        await Json(context, result.Status, result.ApiBody);
    }

    // Upstream redirects to the Referer (Flask writes "None" without one); /productpage is more useful then.
    private static void BackToReferer(HttpContext context)
    {
        var referer = context.Request.Headers.Referer.FirstOrDefault();
        context.Response.Redirect(string.IsNullOrEmpty(referer) ? "/productpage" : referer);
    }

    private static Task Html(HttpContext context, string body)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
