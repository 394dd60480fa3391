namespace Weft.Translation;

/// <summary>
/// The one list of Gateway API features Weft reports in GatewayClass status.supportedFeatures
/// (the conformance suite reads it to decide which tests to run). Only features implemented end
/// to end (translator and proxy) belong here. Sorted, as the spec requires.
/// </summary>
internal static class SupportedFeatures
{
    public static IReadOnlyList<string> All { get; } = new[]
    {
        "Gateway",
        "HTTPRoute",
        "HTTPRouteHostRewrite",
        "HTTPRouteMethodMatching",
        "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite",
        "HTTPRoutePortRedirect",
        "HTTPRouteQueryParamMatching",
        "HTTPRouteResponseHeaderModification",
        "HTTPRouteSchemeRedirect",
        "ReferenceGrant",
        "GatewayHTTPListenerIsolation",
        "GatewayPort8080",
        "HTTPRouteParentRefPort",
        "HTTPRouteDestinationPortMatching",
        "HTTPRouteNamedRouteRule",
        "HTTPRouteBackendRequestHeaderModification",
        "HTTPRouteBackendProtocolH2C",
        "HTTPRouteBackendProtocolWebSocket",
        "HTTPRouteRequestTimeout",
        "HTTPRouteBackendTimeout",
    }.Order(StringComparer.Ordinal).ToArray();
}
