using Microsoft.AspNetCore.Http;

namespace Weft.Samples.Echo;

/// <summary>
/// The <c>X-Echo-Set-Header</c> control: the conformance client asks the backend to answer with
/// particular response headers (<c>Name:Value</c> items, comma-separated) so that response-header
/// filters of the Gateway can be observed.
/// </summary>
internal static class EchoResponseHeaders
{
    public const string RequestHeaderName = "X-Echo-Set-Header";

    public static void Apply(IHeaderDictionary requestHeaders, IHeaderDictionary responseHeaders)
    {
        foreach (var list in requestHeaders[RequestHeaderName])
        {
            if (string.IsNullOrEmpty(list))
            {
                continue;
            }

            foreach (var item in list.Split(','))
            {
                var trimmed = item.AsSpan().Trim();
                var colon = trimmed.IndexOf(':');
                var name = (colon < 0 ? trimmed : trimmed[..colon]).Trim();
                var value = colon < 0 ? "" : trimmed[(colon + 1)..].Trim().ToString();

                // Go would emit an unusable name ("" from an empty header value); Kestrel would
                // fail the whole response on it, so such items are skipped.
                if (!GoHeaderName.IsToken(name))
                {
                    continue;
                }

                // Kestrel keeps the name's case as given; a repeated name is joined with ",".
                var key = name.ToString();
                var existing = responseHeaders[key];
                responseHeaders[key] = existing.Count == 0 ? value : existing[0] + "," + value;
            }
        }
    }
}
