namespace Weft.Bookinfo;

/// <summary>
/// The request headers each service copies from its inbound request onto its outbound calls, so that a mesh can
/// join the hops into one trace and route on them (BOOKINFO-SPEC §1.6, §2.4, §3.4).
/// </summary>
internal static class PropagatedHeaders
{
    /// <summary>What details (v2's external call) and reviews (→ ratings) copy verbatim: §2.4 / §3.4.</summary>
    public static readonly string[] DetailsAndReviews =
    [
        // Istio's access logs and consistent sampling key on it.
        "x-request-id",
        // Lightstep.
        "x-ot-span-context",
        // Datadog.
        "x-datadog-trace-id",
        "x-datadog-parent-id",
        "x-datadog-sampling-priority",
        // W3C Trace Context.
        "traceparent",
        "tracestate",
        // Google Cloud Trace / OpenCensus.
        "x-cloud-trace-context",
        "grpc-trace-bin",
        // Zipkin B3, multi-header form, copied as they came.
        "x-b3-traceid",
        "x-b3-spanid",
        "x-b3-parentspanid",
        "x-b3-sampled",
        "x-b3-flags",
        // SkyWalking.
        "sw8",
        // What routing rules match on (end-user: jason), and the caller's session.
        "end-user",
        "user-agent",
        "cookie",
        "authorization",
        "jwt",
    ];

    /// <summary>
    /// What productpage copies verbatim (§1.6.3). B3 is not in this list: productpage re-encodes it (§1.6.1), and
    /// <c>end-user</c> comes from its session, never from the inbound request (§1.3).
    /// </summary>
    public static readonly string[] ProductPage =
    [
        "x-request-id",
        "x-ot-span-context",
        "x-datadog-trace-id",
        "x-datadog-parent-id",
        "x-datadog-sampling-priority",
        "traceparent",
        "tracestate",
        "x-cloud-trace-context",
        "grpc-trace-bin",
        "sw8",
        "user-agent",
        "cookie",
        "authorization",
        "jwt",
    ];

    /// <summary>The inbound values of <paramref name="names"/> that are present, repeated values joined with ", ".</summary>
    public static List<KeyValuePair<string, string>> Collect(Microsoft.AspNetCore.Http.IHeaderDictionary headers, IEnumerable<string> names)
    {
        var collected = new List<KeyValuePair<string, string>>();
        foreach (var name in names)
        {
            if (headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                collected.Add(new(name, string.Join(", ", values.ToArray())));
            }
        }

        return collected;
    }

    /// <summary>Adds the headers to an outbound request without validation (values pass through byte for byte).</summary>
    public static void Apply(HttpRequestMessage request, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
