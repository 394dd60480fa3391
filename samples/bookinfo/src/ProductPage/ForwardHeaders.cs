using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// The headers productpage puts on every downstream call (BOOKINFO-SPEC §1.6): the B3 trace context re-encoded as
/// multi-header, <c>end-user</c> from the session, then the tracing and session headers copied verbatim.
/// </summary>
internal static partial class ForwardHeaders
{
    public static List<KeyValuePair<string, string>> For(HttpRequest request, string? user)
    {
        var headers = new List<KeyValuePair<string, string>>();
        AddB3(request.Headers, headers);
        // Only the session says who the user is; an inbound end-user header is not forwarded (§1.3).
        if (user is not null)
        {
            headers.Add(new("end-user", user));
        }

        headers.AddRange(PropagatedHeaders.Collect(request.Headers, PropagatedHeaders.ProductPage));
        return headers;
    }

    /// <summary>
    /// Upstream extracts the context with OpenTelemetry's B3 multi-header propagator and injects it again, so the
    /// same trace and span ids go out (not a child span), normalised: trace id as 32 lowercase hex digits, span id
    /// as 16, <c>x-b3-sampled</c> as 1 or 0; <c>x-b3-parentspanid</c> and <c>x-b3-flags</c> are not sent. A single
    /// <c>b3</c> header is read too (and wins), and goes out as the multi-header form. Without a valid context
    /// nothing is sent.
    /// </summary>
    internal static void AddB3(IHeaderDictionary inbound, List<KeyValuePair<string, string>> outbound)
    {
        string? traceId, spanId, sampled, flags = null;
        if (First(inbound, "b3") is { Length: > 0 } single)
        {
            // "deferred" sampling reads as sampled, as upstream.
            traceId = spanId = null;
            sampled = "1";
            var fields = single.Split('-', 5);
            switch (fields.Length)
            {
                case 1:
                    sampled = fields[0];
                    break;
                case 2:
                    (traceId, spanId) = (fields[0], fields[1]);
                    break;
                case 3:
                case 4:
                    (traceId, spanId, sampled) = (fields[0], fields[1], fields[2]);
                    break;
                default:
                    break;
            }
        }
        else
        {
            traceId = First(inbound, "x-b3-traceid");
            spanId = First(inbound, "x-b3-spanid");
            sampled = First(inbound, "x-b3-sampled") ?? "0";
            flags = First(inbound, "x-b3-flags");
        }

        if (traceId is null || spanId is null || !TraceId().IsMatch(traceId) || !SpanId().IsMatch(spanId)
            || traceId.All(c => c == '0') || spanId.All(c => c == '0'))
        {
            return;
        }

        var isSampled = sampled is "1" or "True" or "true" or "d" || flags == "1";
        outbound.Add(new("x-b3-traceid", traceId.ToLowerInvariant().PadLeft(32, '0')));
        outbound.Add(new("x-b3-spanid", spanId.ToLowerInvariant()));
        outbound.Add(new("x-b3-sampled", isSampled ? "1" : "0"));
    }

    private static string? First(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    [GeneratedRegex("^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$")]
    private static partial Regex TraceId();

    [GeneratedRegex("^[0-9a-fA-F]{16}$")]
    private static partial Regex SpanId();
}
