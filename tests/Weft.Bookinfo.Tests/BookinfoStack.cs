using Weft.Bookinfo.Details;
using Weft.Bookinfo.ProductPage;
using Weft.Bookinfo.Ratings;
using Weft.Bookinfo.Reviews;

namespace Weft.Bookinfo.Tests;

/// <summary>The four real services wired together on loopback, with one reviews version.</summary>
internal sealed class BookinfoStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _services = [];

    public required ProductPageServer ProductPage { get; init; }

    public static async Task<BookinfoStack> StartAsync(string reviewsVersion, CancellationToken cancellationToken)
    {
        var ratings = await RatingsServer.StartAsync(new RatingsOptions { Port = 0 }, cancellationToken);
        var details = await DetailsServer.StartAsync(new DetailsOptions { Port = 0 }, cancellationToken);
        var reviews = await ReviewsServer.StartAsync(
            new ReviewsOptions
            {
                Port = 0,
                ServiceVersion = reviewsVersion,
                EnableRatings = reviewsVersion != "v1",
                StarColor = reviewsVersion == "v3" ? "red" : "black",
                RatingsUri = new Uri(ratings.Uri, "/ratings"),
                PodName = $"reviews-{reviewsVersion}-abc",
            },
            cancellationToken);
        var productPage = await ProductPageServer.StartAsync(
            new ProductPageOptions { Port = 0, DetailsUri = details.Uri, ReviewsUri = reviews.Uri, RatingsUri = ratings.Uri },
            cancellationToken);
        var stack = new BookinfoStack { ProductPage = productPage };
        stack._services.AddRange([productPage, reviews, details, ratings]);
        return stack;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }
    }
}
