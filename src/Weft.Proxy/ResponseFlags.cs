namespace Weft.Proxy;

/// <summary>The short codes every proxy-generated error carries (access log, x-weft-flags debug header).</summary>
internal static class ResponseFlags
{
    public const string NoRoute = "NR";
    public const string NoHealthyUpstream = "UH";
    public const string UpstreamConnectFailure = "UF";
    public const string UpstreamTimeout = "UT";

    /// <summary>The upstream connection failed after it was made (reset, closed mid-response, protocol error).</summary>
    public const string UpstreamConnectionTermination = "UC";

    /// <summary>The client went away (or stopped sending its body) before the exchange completed.</summary>
    public const string DownstreamConnectionTermination = "DC";

    /// <summary>The request body was larger than the configured limit (413).</summary>
    public const string RequestBodyTooLarge = "RBL";

    /// <summary>The path was refused by the path normalization settings (an escaped slash with RejectRequest).</summary>
    public const string InvalidPath = "DPE";
}
