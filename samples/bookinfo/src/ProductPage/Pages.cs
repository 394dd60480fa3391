using System.Net;
using System.Text;
using System.Text.Json;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// The HTML pages (BOOKINFO-SPEC §1.2, §1.5). Our own markup, styled with a small Tailwind-compatible stylesheet;
/// the strings, classes and ids the Istio docs' tests grep for are kept exactly.
/// </summary>
internal static class Pages
{
    // Filled and outline star icons; only the filled one carries the id the docs' tests count.
    private const string StarPoints = "12,2.5 14.9,8.6 21.5,9.3 16.6,13.8 17.9,20.4 12,17.1 6.1,20.4 7.4,13.8 2.5,9.3 9.1,8.6";
    private const string FilledStar =
        "<svg id=\"glyphicon glyphicon-star\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" fill=\"currentColor\" class=\"h-5 w-5\" aria-hidden=\"true\"><polygon points=\"" + StarPoints + "\"/></svg>";
    private const string OutlineStar =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" class=\"h-5 w-5\" aria-hidden=\"true\"><polygon points=\"" + StarPoints + "\"/></svg>";

    // What the details table shows (author, year and ISBN-13 are not shown), header and details' field.
    private static readonly (string Header, string Field)[] DetailsColumns =
        [("ISBN-10", "ISBN-10"), ("Publisher", "publisher"), ("Pages", "pages"), ("Type", "type"), ("Language", "language")];

    private const string Head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="X-UA-Compatible" content="IE=edge">
        <meta name="viewport" content="width=device-width, initial-scale=1.0">
        <title>Simple Bookstore App</title>
        <link rel="stylesheet" href="static/tailwind/tailwind.css">
        </head>

        """;

    /// <summary><c>/productpage</c>: title, description, details, reviews; errors rendered in place (always 200).</summary>
    public static string ProductPage(string? user, UpstreamResult details, UpstreamResult reviews)
    {
        var html = new StringBuilder(Head);
        html.Append("<body class=\"bg-gray-50 text-gray-900\">\n");
        Navigation(html, user);
        html.Append("<main class=\"container mx-auto px-4 py-8\">\n");

        html.Append("<section class=\"mb-8\">\n")
            .Append("<h1 class=\"text-3xl font-bold text-center mb-4\">").Append(Encode(Products.Title)).Append("</h1>\n")
            // The description is trusted HTML, not escaped.
            .Append("<p class=\"text-lg\">").Append(Products.DescriptionHtml).Append("</p>\n")
            .Append("<p class=\"mt-2\"><a class=\"text-blue-600 hover:underline\" href=\"https://istio.io\">Learn more about Istio →</a></p>\n")
            .Append("</section>\n");

        html.Append("<div class=\"grid md:grid-cols-2 gap-8\">\n");
        DetailsSection(html, details);
        ReviewsSection(html, reviews);
        html.Append("</div>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Navigation(StringBuilder html, string? user)
    {
        html.Append("<nav class=\"bg-gray-800 text-white\">\n<div class=\"container mx-auto px-4 py-3 flex items-center justify-between\">\n")
            .Append("<a class=\"text-xl font-semibold\" href=\"#\">BookInfo Sample</a>\n");
        // As upstream's template: an empty user name counts as signed out.
        if (!string.IsNullOrEmpty(user))
        {
            html.Append("<div class=\"flex items-center gap-x-2\">")
                .Append("<img class=\"h-8 w-8 rounded-full\" src=\"static/img/izzy.png\" alt=\"\">")
                .Append("<span>").Append(Encode(user)).Append("</span>")
                .Append("<a class=\"rounded bg-gray-600 px-3 py-1 hover:bg-gray-500\" href=\"logout\">Sign out</a>")
                .Append("</div>\n</div>\n</nav>\n");
            return;
        }

        html.Append("<button type=\"button\" class=\"rounded bg-blue-600 px-3 py-1 hover:bg-blue-500\" onclick=\"document.getElementById('sign-in').showModal()\">Sign in</button>\n")
            .Append("</div>\n</nav>\n")
            .Append("""
                <dialog id="sign-in" class="rounded-lg p-6 shadow-xl">
                <h2 class="text-xl font-semibold mb-4">Sign in to BookInfo</h2>
                <form method="post" action="login" name="login_form" class="flex flex-col gap-y-3">
                <label for="username">Username</label>
                <input type="text" class="rounded border px-2 py-1" name="username" id="username" autofocus>
                <label for="passwd">Password</label>
                <input type="password" class="rounded border px-2 py-1" name="passwd" id="passwd">
                <div class="flex gap-x-2">
                <button type="submit" class="rounded bg-blue-600 px-3 py-1 text-white hover:bg-blue-500">Sign in</button>
                <button type="button" class="rounded border px-3 py-1" onclick="this.closest('dialog').close()">Cancel</button>
                </div>
                </form>
                <p class="mt-4 text-sm">Not using Istio yet? <a class="text-blue-600 hover:underline" href="https://istio.io/latest/docs/setup/getting-started/">Start here</a></p>
                </dialog>

                """);
    }

    private static void DetailsSection(StringBuilder html, UpstreamResult details)
    {
        html.Append("<section>\n");
        if (details.Ok)
        {
            var book = details.Json!.Value;
            html.Append("<h2 class=\"text-2xl font-semibold text-center mb-4\">Book Details</h2>\n")
                .Append("<table class=\"w-full border-collapse border\">\n<thead><tr>");
            foreach (var (header, _) in DetailsColumns)
            {
                html.Append("<th class=\"border px-2 py-1 bg-gray-100\">").Append(Encode(header)).Append("</th>");
            }

            html.Append("</tr></thead>\n<tbody><tr>");
            foreach (var (_, field) in DetailsColumns)
            {
                html.Append("<td class=\"border px-2 py-1 text-center\">").Append(Encode(Field(book, field))).Append("</td>");
            }

            html.Append("</tr></tbody>\n</table>\n");
        }
        else
        {
            html.Append("<h2 class=\"text-2xl font-semibold text-center mb-4\">Error fetching product details</h2>\n")
                .Append("<p class=\"text-red-500\">").Append(Encode(details.Error)).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void ReviewsSection(StringBuilder html, UpstreamResult reviews)
    {
        html.Append("<section>\n");
        if (!reviews.Ok)
        {
            html.Append("<h2 class=\"text-2xl font-semibold text-center mb-4\">Error fetching product reviews</h2>\n")
                .Append("<p class=\"text-red-500\">").Append(Encode(reviews.Error)).Append("</p>\n</section>\n");
            return;
        }

        var body = reviews.Json!.Value;
        var podName = Field(body, "podname");
        var clusterName = Field(body, "clustername");
        html.Append("<h2 class=\"text-2xl font-semibold text-center mb-4\">Book Reviews</h2>\n");
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("reviews", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var review in list.EnumerateArray())
            {
                html.Append("<blockquote class=\"mb-6 border-l-4 border-gray-300 pl-4\">\n");
                Rating(html, review);
                html.Append("<p class=\"italic\">\"").Append(Encode(Field(review, "text"))).Append("\"</p>\n")
                    .Append("<p class=\"font-semibold\">").Append(Encode(Field(review, "reviewer"))).Append("</p>\n")
                    .Append("<p class=\"text-sm text-gray-500\">Reviews served by: <span>").Append(Encode(podName)).Append("</span>");
                if (clusterName != "null")
                {
                    html.Append(" on cluster <span>").Append(Encode(clusterName)).Append("</span>");
                }

                html.Append("</p>\n</blockquote>\n");
            }
        }

        html.Append("</section>\n");
    }

    private static void Rating(StringBuilder html, JsonElement review)
    {
        if (review.ValueKind != JsonValueKind.Object || !review.TryGetProperty("rating", out var rating) || rating.ValueKind != JsonValueKind.Object)
        {
            // reviews v1: no rating at all.
            return;
        }

        if (rating.TryGetProperty("stars", out var starsValue) && starsValue.ValueKind == JsonValueKind.Number
            && (starsValue.TryGetInt32(out var stars) ? stars : (int)starsValue.GetDouble()) is var n && n != 0)
        {
            html.Append("<div class=\"flex gap-x-1 text-").Append(Encode(Field(rating, "color"))).Append("-500\">");
            for (var i = 0; i < n; i++)
            {
                html.Append(FilledStar);
            }

            for (var i = 0; i < 5 - n; i++)
            {
                html.Append(OutlineStar);
            }

            html.Append("</div>\n");
        }
        else if (rating.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString() is { Length: > 0 } message)
        {
            html.Append("<p class=\"text-red-500\">").Append(Encode(message)).Append("</p>\n");
        }
    }

    /// <summary>
    /// <c>/</c> and <c>/index.html</c>: the service tree as a table (as upstream's json2html renders it, including
    /// its top row naming details' URL), and the two links.
    /// </summary>
    public static string Index(ProductPageOptions options)
    {
        var details = Display(options.DetailsUri);
        var reviews = Display(options.ReviewsUri);
        var ratings = Display(options.RatingsUri);
        var html = new StringBuilder(Head);
        html.Append("<body class=\"bg-gray-50 text-gray-900\">\n<main class=\"container mx-auto px-4 py-8\">\n")
            .Append("<h3 class=\"text-xl font-semibold mb-4\">Hello! This is a simple bookstore application consisting of three services as shown below</h3>\n")
            .Append("<table class=\"table table-condensed table-bordered table-hover\">")
            .Append("<tr><th>name</th><td>").Append(Encode(details)).Append("</td></tr>")
            .Append("<tr><th>endpoint</th><td>details</td></tr>")
            .Append("<tr><th>children</th><td><table class=\"table table-condensed table-bordered table-hover\"><thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>")
            .Append("<tr><td>").Append(Encode(details)).Append("</td><td>details</td><td></td></tr>")
            .Append("<tr><td>").Append(Encode(reviews)).Append("</td><td>reviews</td><td>")
            .Append("<table class=\"table table-condensed table-bordered table-hover\"><thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>")
            .Append("<tr><td>").Append(Encode(ratings)).Append("</td><td>ratings</td><td></td></tr></tbody></table>")
            .Append("</td></tr></tbody></table></td></tr></table>\n")
            .Append("<p class=\"my-4\">Click on one of the links below to auto generate a request to the backend as a real user or a tester</p>\n")
            .Append("<p><a class=\"text-blue-600 hover:underline\" href=\"/productpage?u=normal\">Normal user</a></p>\n")
            .Append("<p><a class=\"text-blue-600 hover:underline\" href=\"/productpage?u=test\">Test user</a></p>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    // http://host:port, as upstream names its upstreams.
    private static string Display(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    // A JSON value as Jinja prints it: strings as they are, numbers as written, null as None, missing as nothing.
    private static string Field(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "None",
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => value.GetRawText(),
        };
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
