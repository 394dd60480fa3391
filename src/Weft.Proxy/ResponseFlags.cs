namespace Weft.Proxy;

/// <summary>The short codes every proxy-generated error carries (access log, x-weft-flags debug header).</summary>
internal static class ResponseFlags
{
    public const string NoRoute = "NR";
    public const string NoHealthyUpstream = "UH";
    public const string UpstreamConnectFailure = "UF";
    public const string UpstreamTimeout = "UT";

    /// <summary>The path was refused by the path normalization settings (an escaped slash with RejectRequest).</summary>
    public const string InvalidPath = "DPE";
}
