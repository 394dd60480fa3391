using System.Globalization;
using Weft.Routing;

namespace Weft.Proxy;

public sealed partial record GatewayProxyOptions
{
    /// <summary>The settings hosts offer as flags and <c>WEFT_PROXY_*</c> variables, in help order.</summary>
    public static IReadOnlyList<ProxySetting> Settings { get; } =
    [
        new("--drain-timeout", "WEFT_PROXY_DRAIN_TIMEOUT", "DURATION", false, "How long in-flight requests may finish at shutdown or when a port is removed (default 10s).",
            (o, name, text) => o with { DrainTimeout = Duration(name, text) }),
        new("--drain-delay", "WEFT_PROXY_DRAIN_DELAY", "DURATION", false, "At shutdown, how long to keep serving with readiness at 503 before draining (default 0s).",
            (o, name, text) => o with { DrainDelay = Duration(name, text) }),
        new("--route-timeout", "WEFT_PROXY_ROUTE_TIMEOUT", "DURATION", false, "Deadline of routes without timeouts (default none; Envoy's is 15s).",
            (o, name, text) => o with { DefaultRouteTimeout = Duration(name, text) }),
        new("--max-request-body", "WEFT_PROXY_MAX_REQUEST_BODY_BYTES", "SIZE", false, "Largest request body, bytes or with K, M, G (default none).",
            (o, name, text) => o with { MaxRequestBodySize = Size(name, text) }),
        new("--preserve-request-id", "WEFT_PROXY_PRESERVE_EXTERNAL_REQUEST_ID", "[BOOL]", true, "Keep a client's well-formed x-request-id (default false; sidecars true).",
            (o, name, text) => o with { PreserveExternalRequestId = Bool(name, text) }),
        new("--normalize-path", "WEFT_PROXY_NORMALIZE_PATH", "[BOOL]", true, "RFC 3986 path normalization before routing (default true).",
            (o, name, text) => o with { PathNormalization = o.PathNormalization with { NormalizePath = Bool(name, text) } }),
        new("--merge-slashes", "WEFT_PROXY_MERGE_SLASHES", "[BOOL]", true, "Merge runs of / before routing (default false).",
            (o, name, text) => o with { PathNormalization = o.PathNormalization with { MergeSlashes = Bool(name, text) } }),
        new("--escaped-slashes", "WEFT_PROXY_ESCAPED_SLASHES", "ACTION", false, "%2F/%5C in paths: KEEP_UNCHANGED (default), REJECT_REQUEST, UNESCAPE_AND_REDIRECT, UNESCAPE_AND_FORWARD.",
            (o, name, text) => o with { PathNormalization = o.PathNormalization with { EscapedSlashes = EscapedSlashes(name, text) } }),
    ];

    /// <summary>
    /// The options from <c>WEFT_PROXY_*</c> environment variables, then <paramref name="flags"/> (flag →
    /// value as given; a switch given alone is "true") over them: a flag overrides its variable. Unset or
    /// empty variables keep the defaults; a value that does not parse is a <see cref="FormatException"/>
    /// with one line naming the flag or the variable, never silently ignored, so a host can refuse to
    /// start. Durations are seconds ("15", "0.5") or with a unit ("15s", "500ms", "2m").
    /// </summary>
    public static GatewayProxyOptions FromSettings(IReadOnlyDictionary<string, string>? flags = null, Func<string, string?>? read = null, GatewayProxyOptions? defaults = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var options = defaults ?? new GatewayProxyOptions();
        foreach (var setting in Settings)
        {
            if (read(setting.Variable) is { Length: > 0 } value)
            {
                options = setting.Apply(options, setting.Variable, value.Trim());
            }
        }

        foreach (var setting in Settings)
        {
            if (flags is not null && flags.TryGetValue(setting.Flag, out var value))
            {
                options = setting.Apply(options, setting.Flag, value.Trim());
            }
        }

        return options;
    }

    /// <summary>The options from <c>WEFT_PROXY_*</c> environment variables alone (see <see cref="FromSettings"/>).</summary>
    public static GatewayProxyOptions FromEnvironment(Func<string, string?>? read = null) => FromSettings(null, read);

    /// <summary>"15", "0.5", "15s", "500ms" or "2m"; throws <see cref="FormatException"/> naming <paramref name="name"/>.</summary>
    public static TimeSpan Duration(string name, string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * unit <= TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(value * unit)
            : throw new FormatException($"{Quote(name, text)} must be a duration such as 15s, 500ms or 2m");
    }

    /// <summary>Bytes: "1048576", or with a binary suffix "512K", "10M", "1G" (KiB, MiB, GiB).</summary>
    public static long Size(string name, string text)
    {
        var (number, shift) = text.Length > 0 ? char.ToUpperInvariant(text[^1]) switch
        {
            'K' => (text[..^1], 10),
            'M' => (text[..^1], 20),
            'G' => (text[..^1], 30),
            _ => (text, 0),
        } : (text, 0);
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue >> shift
            ? value << shift
            : throw new FormatException($"{Quote(name, text)} must be a number of bytes, optionally with K, M or G (1M = 1048576)");
    }

    private static bool Bool(string name, string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "on" or "yes" => true,
        "0" or "false" or "off" or "no" => false,
        _ => throw new FormatException($"{Quote(name, text)} must be true or false"),
    };

    private static EscapedSlashesAction EscapedSlashes(string name, string text) =>
        text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "KEEPUNCHANGED" => EscapedSlashesAction.KeepUnchanged,
            "REJECTREQUEST" => EscapedSlashesAction.RejectRequest,
            "UNESCAPEANDREDIRECT" => EscapedSlashesAction.UnescapeAndRedirect,
            "UNESCAPEANDFORWARD" => EscapedSlashesAction.UnescapeAndForward,
            _ => throw new FormatException($"{Quote(name, text)} must be KEEP_UNCHANGED, REJECT_REQUEST, UNESCAPE_AND_REDIRECT or UNESCAPE_AND_FORWARD"),
        };

    // --flag "value" (as the CLIs word their other errors) or VARIABLE="value".
    private static string Quote(string name, string text) => name.StartsWith('-') ? $"{name} \"{text}\"" : $"{name}=\"{text}\"";
}
