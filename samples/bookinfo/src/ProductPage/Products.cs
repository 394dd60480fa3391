namespace Weft.Bookinfo.ProductPage;

/// <summary>The one product Bookinfo sells.</summary>
internal static class Products
{
    public const string Title = "The Comedy of Errors";

    public const string DescriptionHtml =
        "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.";

    /// <summary><c>GET /api/v1/products</c>, in Python's <c>json.dumps</c> form.</summary>
    public static readonly string ListJson =
        "[{\"id\": 0, \"title\": " + PythonJson.Quote(Title) + ", \"descriptionHtml\": " + PythonJson.Quote(DescriptionHtml) + "}]";
}
