namespace Weft.Routing;

/// <summary>
/// How the proxy turns a request's raw path into the path it routes on (and forwards). Envoy's
/// HttpConnectionManager settings of the same names; the defaults are the ones Istio and Envoy's edge
/// hardening guide recommend.
/// </summary>
public sealed record PathNormalization
{
    /// <summary>The defaults: normalize on, merge slashes off, escaped slashes kept.</summary>
    public static PathNormalization Default { get; } = new();

    /// <summary>
    /// Envoy's <c>normalize_path</c>: RFC 3986 §6.2.2 normalization — percent-encoded unreserved
    /// characters decoded (<c>%7E</c> → <c>~</c>, <c>%2e</c> → <c>.</c>), the hex of other escapes
    /// upper-cased, <c>\</c> read as <c>/</c>, and dot segments removed (§5.2.4). A <c>;</c> is an
    /// ordinary character: <c>..;</c> is a segment of its own, not <c>..</c>.
    /// </summary>
    public bool NormalizePath { get; init; } = true;

    /// <summary>Envoy's <c>merge_slashes</c>: runs of <c>/</c> become one (<c>//a///b</c> → <c>/a/b</c>).</summary>
    public bool MergeSlashes { get; init; }

    /// <summary>Envoy's <c>path_with_escaped_slashes_action</c>: what a <c>%2F</c> or <c>%5C</c> in the path does.</summary>
    public EscapedSlashesAction EscapedSlashes { get; init; } = EscapedSlashesAction.KeepUnchanged;
}

/// <summary>Envoy's <c>path_with_escaped_slashes_action</c> values.</summary>
public enum EscapedSlashesAction
{
    /// <summary>Routed and forwarded as they are: <c>/a%2Fb</c> is one segment to routing and to the backend.</summary>
    KeepUnchanged,

    /// <summary>400 Bad Request.</summary>
    RejectRequest,

    /// <summary>Unescaped (<c>%2F</c> → <c>/</c>, <c>%5C</c> → <c>\</c>), normalized, and answered with a 307 to that path.</summary>
    UnescapeAndRedirect,

    /// <summary>Unescaped, normalized, then routed and forwarded as the new path.</summary>
    UnescapeAndForward,
}

/// <summary>What <see cref="PathNormalizer.Normalize"/> decided.</summary>
public enum PathVerdict
{
    /// <summary>Route (and forward) the path it returned.</summary>
    Continue,

    /// <summary>Answer 400: the path has an escaped slash and the setting rejects those.</summary>
    Reject,

    /// <summary>Answer 307 to the path it returned.</summary>
    Redirect,
}
