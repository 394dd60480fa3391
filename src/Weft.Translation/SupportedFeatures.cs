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
        "BackendTLSPolicy",
        "BackendTLSPolicySANValidation",
        "Gateway",
        "GatewayAddressEmpty",
        "GatewayHTTPListenerIsolation",
        "GatewayPort8080",
        "GatewayStaticAddresses",
        "GRPCRoute",
        "GRPCRouteNamedRouteRule",
        "HTTPRoute",
        "HTTPRouteBackendProtocolH2C",
        "HTTPRouteBackendProtocolWebSocket",
        "HTTPRouteBackendRequestHeaderModification",
        "HTTPRouteBackendTimeout",
        "HTTPRouteCORS",
        "HTTPRouteDestinationPortMatching",
        "HTTPRouteHostRewrite",
        "HTTPRouteMethodMatching",
        "HTTPRouteNamedRouteRule",
        "HTTPRouteParentRefPort",
        "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite",
        "HTTPRoutePortRedirect",
        "HTTPRouteQueryParamMatching",
        "HTTPRouteRequestMirror",
        "HTTPRouteRequestMultipleMirrors",
        "HTTPRouteRequestPercentageMirror",
        "HTTPRouteRequestTimeout",
        "HTTPRouteResponseHeaderModification",
        "HTTPRouteSchemeRedirect",
        "ReferenceGrant",
    }.Order(StringComparer.Ordinal).ToArray();
}
