using System.Globalization;
using Weft.Routing;

namespace Weft.Proxy;

public sealed partial record GatewayProxyOptions
{
    /// <summary>
    /// The options from <c>WEFT_PROXY_*</c> environment variables, so that `weft up`, `weft proxy`,
    /// `weft run` sidecars and the NativeAOT `weft-proxy` read the same settings the same way (as
    /// <c>WEFT_SOCKET_THREAD_POLICY</c> already is). Unset or empty variables keep the defaults; a value
    /// that does not parse is an error naming the variable, never silently ignored.
    /// Durations are seconds ("15", "0.5") or with a unit ("15s", "500ms", "2m").
    /// </summary>
    public static GatewayProxyOptions FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var options = new GatewayProxyOptions();
        var path = PathNormalization.Default;
        if (Get(read, "WEFT_PROXY_NORMALIZE_PATH") is { } normalize)
        {
            path = path with { NormalizePath = Bool("WEFT_PROXY_NORMALIZE_PATH", normalize) };
        }

        if (Get(read, "WEFT_PROXY_MERGE_SLASHES") is { } merge)
        {
            path = path with { MergeSlashes = Bool("WEFT_PROXY_MERGE_SLASHES", merge) };
        }

        if (Get(read, "WEFT_PROXY_ESCAPED_SLASHES") is { } escaped)
        {
            path = path with
            {
                EscapedSlashes = escaped.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant() switch
                {
                    "KEEPUNCHANGED" => EscapedSlashesAction.KeepUnchanged,
                    "REJECTREQUEST" => EscapedSlashesAction.RejectRequest,
                    "UNESCAPEANDREDIRECT" => EscapedSlashesAction.UnescapeAndRedirect,
                    "UNESCAPEANDFORWARD" => EscapedSlashesAction.UnescapeAndForward,
                    _ => throw new FormatException($"WEFT_PROXY_ESCAPED_SLASHES=\"{escaped}\" must be KEEP_UNCHANGED, REJECT_REQUEST, UNESCAPE_AND_REDIRECT or UNESCAPE_AND_FORWARD"),
                },
            };
        }

        options = options with { PathNormalization = path };
        if (Get(read, "WEFT_PROXY_MAX_REQUEST_BODY_BYTES") is { } max)
        {
            options = options with
            {
                MaxRequestBodySize = long.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                    ? bytes
                    : throw new FormatException($"WEFT_PROXY_MAX_REQUEST_BODY_BYTES=\"{max}\" must be a number of bytes"),
            };
        }

        if (Get(read, "WEFT_PROXY_ROUTE_TIMEOUT") is { } timeout)
        {
            options = options with { DefaultRouteTimeout = Duration("WEFT_PROXY_ROUTE_TIMEOUT", timeout) };
        }

        if (Get(read, "WEFT_PROXY_DRAIN_TIMEOUT") is { } drain)
        {
            options = options with { DrainTimeout = Duration("WEFT_PROXY_DRAIN_TIMEOUT", drain) };
        }

        if (Get(read, "WEFT_PROXY_PRESERVE_EXTERNAL_REQUEST_ID") is { } preserve)
        {
            options = options with { PreserveExternalRequestId = Bool("WEFT_PROXY_PRESERVE_EXTERNAL_REQUEST_ID", preserve) };
        }

        return options;
    }

    /// <summary>"15", "0.5", "15s", "500ms" or "2m"; throws <see cref="FormatException"/> naming <paramref name="name"/>.</summary>
    public static TimeSpan Duration(string name, string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? TimeSpan.FromSeconds(value * unit)
            : throw new FormatException($"{name}=\"{text}\" must be a duration such as 15s, 500ms or 2m");
    }

    private static string? Get(Func<string, string?> read, string name) => read(name) is { Length: > 0 } value ? value.Trim() : null;

    private static bool Bool(string name, string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "on" or "yes" => true,
        "0" or "false" or "off" or "no" => false,
        _ => throw new FormatException($"{name}=\"{text}\" must be true or false"),
    };
}
