using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Weft.Samples.Echo;

/// <summary>
/// echo-basic's request handling: <c>/health</c>, <c>/status/NNN</c>, <c>/ws</c>, and the echo
/// response for everything else; on the h2c-only port just the echo, for HTTP/2 requests.
/// </summary>
internal sealed partial class EchoHandler(EchoOptions options, Func<HttpContext, bool> isH2cOnlyPort)
{
    private const string JsonContentType = "application/json";

    // Go's net/http sniffs this type for the plain-text bodies echo-basic writes without one.
    private const string TextContentType = "text/plain; charset=utf-8";

    private readonly TextWriter? _requestLog = options.RequestLog is null || options.RequestLog == Console.Out
        ? options.RequestLog
        : TextWriter.Synchronized(options.RequestLog);

    public Task HandleAsync(HttpContext context)
    {
        if (isH2cOnlyPort(context))
        {
            return HandleH2cOnlyAsync(context);
        }

        // echo-basic collapses "//" (one non-overlapping pass) before routing so that a Gateway's
        // doubled slashes still reach the echo; the echoed path keeps the original target.
        var path = context.Request.Path.Value ?? "";
        path = path.Replace("//", "/", StringComparison.Ordinal);

        if (path == "/health")
        {
            return WriteTextAsync(context, StatusCodes.Status200OK, "OK");
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusFromTarget(RawTarget(context));
            return Task.CompletedTask;
        }

        if (path == "/ws")
        {
            return EchoWebSocket.HandleAsync(context, _requestLog);
        }

        return EchoAsync(context);
    }

    // echo-basic's h2c port rejects anything that is neither HTTP/2 nor an h2c upgrade request.
    // Kestrel does not implement the upgrade, so such a request is answered over HTTP/1.1.
    private Task HandleH2cOnlyAsync(HttpContext context)
    {
        if (!HttpProtocol.IsHttp2(context.Request.Protocol) && context.Request.Headers.Upgrade != "h2c")
        {
            return WriteTextAsync(context, StatusCodes.Status400BadRequest, "Expected h2c request");
        }

        return EchoAsync(context);
    }

    private async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var target = RawTarget(context);

        // The conformance suite greps backend logs for this line to detect mirrored requests.
        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort);
        _requestLog?.WriteLine($"Echoing back request made to {target} to client ({remote})");

        var delay = await DelayValueAsync(request, context.RequestAborted);
        if (delay is not null)
        {
            if (!GoDuration.TryParse(delay, out var duration, out var error))
            {
                await WriteJsonAsync(response, StatusCodes.Status500InternalServerError,
                    EchoJsonContext.ToUtf8(new EchoError(error), EchoJsonContext.Default.EchoError, indented: false), context.RequestAborted);
                return;
            }

            if (duration > TimeSpan.Zero)
            {
                await Task.Delay(Clamp(duration), options.TimeProvider, context.RequestAborted);
            }
        }

        var echoed = new EchoedRequest(
            Path: target,
            Host: request.Headers.Host.ToString(),
            Method: request.Method,
            Proto: GoProto(request.Protocol),
            Headers: CanonicalHeaders(request.Headers),
            Namespace: options.Namespace,
            Ingress: options.Ingress,
            Service: options.Service,
            Pod: options.Pod,
            Tls: DescribeTls(context));

        // Requested headers first: echo-basic then overwrites Content-Type and nosniff.
        EchoResponseHeaders.Apply(request.Headers, response.Headers);
        await WriteJsonAsync(response, StatusCodes.Status200OK,
            EchoJsonContext.ToUtf8(echoed, EchoJsonContext.Default.EchoedRequest, indented: true), context.RequestAborted);
    }

    internal static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = TextContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static async Task WriteJsonAsync(HttpResponse response, int status, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>
    /// The raw <c>delay</c> value, or null. Like Go's <c>FormValue</c>, a form body of POST, PUT or
    /// PATCH wins over the query string.
    /// </summary>
    private static async Task<string?> DelayValueAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
            && request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(cancellationToken);
                if (form.TryGetValue("delay", out var fromForm) && !string.IsNullOrEmpty(fromForm))
                {
                    return fromForm[0];
                }
            }
            catch (InvalidDataException)
            {
                // Go ignores a malformed form here and falls back to the query string.
            }
        }

        var fromQuery = request.Query["delay"];
        return string.IsNullOrEmpty(fromQuery) ? null : fromQuery[0];
    }

    // Task.Delay cannot wait longer than about 49 days; Go can, but nobody waits that long.
    private static TimeSpan Clamp(TimeSpan duration)
    {
        var max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        return duration > max ? max : duration;
    }

    /// <summary>
    /// <c>/status/NNN</c> answers NNN only when the whole target is exactly that (no query).
    /// Informational codes cannot be a final response in Kestrel; Go's server sends them as
    /// interim responses and then finishes with 200, so 200 it is.
    /// </summary>
    private static int StatusFromTarget(string target)
    {
        var match = StatusTarget().Match(target);
        if (!match.Success)
        {
            return StatusCodes.Status400BadRequest;
        }

        var code = int.Parse(match.Groups[1].ValueSpan);
        return code < 200 ? StatusCodes.Status200OK : code;
    }

    [GeneratedRegex("^/status/([0-9]{3})$", RegexOptions.CultureInvariant)]
    private static partial Regex StatusTarget();

    // Go's r.RequestURI: the request target exactly as sent, query string included.
    private static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString).ToString();

    // Go spells the protocol versions with a minor number.
    private static string GoProto(string protocol) =>
        HttpProtocol.IsHttp2(protocol) ? "HTTP/2.0" : HttpProtocol.IsHttp3(protocol) ? "HTTP/3.0" : protocol;

    private static SortedDictionary<string, string[]> CanonicalHeaders(IHeaderDictionary headers)
    {
        var result = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            // Go moves Host into r.Host and drops Transfer-Encoding from r.Header; Kestrel keeps
            // both (and fills Host from HTTP/2's :authority).
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(':'))
            {
                continue;
            }

            var key = GoHeaderName.Canonicalize(name);
            string[] array = [.. values.Select(value => value ?? "")];
            result[key] = result.TryGetValue(key, out var existing) ? [.. existing, .. array] : array;
        }

        return result;
    }

    internal static EchoedTls? DescribeTls(HttpContext context)
    {
        var handshake = context.Features.Get<ITlsHandshakeFeature>();
        if (handshake is null)
        {
            return null;
        }

        var alpn = context.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        var client = context.Connection.ClientCertificate;

        return new EchoedTls(
            Version: handshake.Protocol switch
            {
                SslProtocols.Tls13 => "TLSv1.3",
                SslProtocols.Tls12 => "TLSv1.2",
                _ => "",
            },
            // Go's pem.Encode ends the block with a newline; ExportCertificatePem does not.
            PeerCertificates: client is null ? null : [client.ExportCertificatePem() + "\n"],
            // Kestrel fills HostName only when a certificate selector runs; the SslStream always knows the SNI.
            ServerName: context.Features.Get<ISslStreamFeature>()?.SslStream.TargetHostName ?? handshake.HostName,
            NegotiatedProtocol: alpn.IsEmpty ? null : Encoding.ASCII.GetString(alpn.Span),
            CipherSuite: CipherSuiteName(handshake.NegotiatedCipherSuite));
    }

    // .NET's enum names are the IANA names, which Go also uses; unknown suites print as Go does.
    private static string CipherSuiteName(TlsCipherSuite? suite) => suite switch
    {
        null => "",
        { } known when Enum.IsDefined(known) => known.ToString(),
        { } unknown => $"0x{(ushort)unknown:X4}",
    };
}
