using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Conformance.Harness;

namespace Weft.Conformance.Runner;

/// <summary>Where a request goes: the Gateway's address and port as the suite sees them, and the port Weft really binds.</summary>
internal sealed record HttpTarget(string Address, int GatewayPort, int BoundPort, string Scheme)
{
    /// <summary>The URL authority the Go client would use (port omitted for http:80 / https:443).</summary>
    public string Authority =>
        (Scheme == "http" && GatewayPort == 80) || (Scheme == "https" && GatewayPort == 443) ? Address : $"{Address}:{GatewayPort}";
}

/// <summary>What the echo backend says it received (FORMAT.md 9.3).</summary>
internal sealed record EchoedRequest(string Path, string Host, string Method, string Proto, IReadOnlyDictionary<string, List<string>> Headers, string Namespace, string Pod, string? TlsServerName);

internal sealed record RedirectTarget(string Scheme, string Host, string Port, string Path);

/// <summary>One response, as the Go roundtripper captures it.</summary>
internal sealed record HttpResult(int Status, IReadOnlyDictionary<string, List<string>> Headers, EchoedRequest? Echo, RedirectTarget? Redirect, string BodySnippet)
{
    public string Summary() => $"HTTP {Status}" + (Headers.TryGetValue("content-type", out var ct) ? $" ({string.Join(",", ct)})" : "") + (BodySnippet.Length > 0 ? $" body: {BodySnippet}" : "");
}

/// <summary>
/// The Go conformance roundtripper in C# (FORMAT.md 7.1): Host header, canonical header names,
/// X-Echo-Set-Header always sent, Go's User-Agent and Accept-Encoding, one connection per request,
/// no redirect following unless asked, h2c prior knowledge, and TLS with the certificate Secret as
/// both client certificate and the only trusted root, verified by Go's rules (a "*.org" wildcard
/// matches exactly one label).
/// </summary>
internal static class HttpProbe
{
    private static readonly HttpClient s_plain = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.GZip,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private static readonly ConcurrentDictionary<string, HttpClient> s_tls = new(StringComparer.Ordinal);

    /// <summary>Sends the case's request. Throws <see cref="HttpRequestException"/> (or a timeout) for transport errors.</summary>
    public static async Task<HttpResult> SendAsync(Session session, HttpTarget target, JsonNode request, JsonNode? tls, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        var rawPath = request.Str("path") ?? "/";
        var method = request.Str("method") ?? "GET";
        // The TLS connection is made by the ConnectCallback, so the URL is always http:// to the bound port.
        var url = new Uri($"http://{target.Address}:{target.BoundPort}{rawPath}");
        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        message.Headers.Host = request.Str("host") ?? target.Authority;
        message.Headers.ConnectionClose = true;
        message.Headers.TryAddWithoutValidation("User-Agent", "Go-http-client/1.1");
        foreach (var (name, value) in request.Map("headers"))
        {
            if (string.Equals(name, "host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
                continue;
            }

            message.Headers.Remove(CanonicalHeaderKey(name));
            message.Headers.TryAddWithoutValidation(CanonicalHeaderKey(name), value);
        }

        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var echoSet = string.Join(",", request.Map("echoSetResponseHeaders").Select(p => $"{p.Key}:{p.Value}"));
        message.Headers.TryAddWithoutValidation("X-Echo-Set-Header", echoSet);
        if (request.Str("protocol") == "H2C_PRIOR_KNOWLEDGE")
        {
            message.Version = HttpVersion.Version20;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        var client = tls is null ? s_plain : TlsClient(session, tls);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"no response within {timeout.TotalSeconds}s");
        }

        using (response)
        {
            var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
            {
                if (!headers.TryGetValue(h.Key, out var list))
                {
                    headers[h.Key] = list = [];
                }

                list.AddRange(h.Value);
            }

            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            EchoedRequest? echo = null;
            if (headers.TryGetValue("Content-Type", out var contentType) && contentType.Count == 1 && contentType[0] == "application/json")
            {
                try
                {
                    echo = ParseEcho(body);
                }
                catch (JsonException e)
                {
                    throw new HttpRequestException($"the application/json body does not decode as the echo response: {e.Message}");
                }
            }

            RedirectTarget? redirect = null;
            if (status is >= 300 and <= 308 && status != 306 && headers.TryGetValue("Location", out var location) && location.Count > 0)
            {
                var baseUri = new Uri($"{target.Scheme}://{target.Authority}{rawPath}");
                if (Uri.TryCreate(baseUri, location[0], out var resolved))
                {
                    var port = resolved.IsDefaultPort && !location[0].Contains($":{resolved.Port}", StringComparison.Ordinal) ? "" : resolved.Port.ToString(CultureInfo.InvariantCulture);
                    redirect = new RedirectTarget(resolved.Scheme, resolved.Host, port, resolved.AbsolutePath);
                }
            }

            var snippet = echo is null ? Snip(body) : "";
            return new HttpResult(status, headers, echo, redirect, snippet);
        }
    }

    private static string Snip(string body)
    {
        var s = body.ReplaceLineEndings(" ").Trim();
        return s.Length > 160 ? s[..160] + "…" : s;
    }

    private static EchoedRequest ParseEcho(string body)
    {
        var json = JsonNode.Parse(body)!;
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in json["headers"] as JsonObject ?? [])
        {
            headers[name] = values is JsonArray arr ? [.. arr.Select(v => v?.ToString() ?? "")] : [values?.ToString() ?? ""];
        }

        return new EchoedRequest(
            json.Str("path") ?? "", json.Str("host") ?? "", json.Str("method") ?? "", json.Str("proto") ?? "",
            headers, json.Str("namespace") ?? "", json.Str("pod") ?? "", json["tls"]?.Str("serverName"));
    }

    /// <summary>Go's textproto.CanonicalMIMEHeaderKey.</summary>
    public static string CanonicalHeaderKey(string name)
    {
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))))
        {
            return name;
        }

        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            sb.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = c == '-';
        }

        return sb.ToString();
    }

    private static HttpClient TlsClient(Session session, JsonNode tls)
    {
        var serverName = tls.Str("serverName") ?? "";
        var secret = tls["certificateSecret"];
        var key = $"{secret.Str("namespace")}/{secret.Str("name")}";
        return s_tls.GetOrAdd($"{serverName}|{key}", _ =>
        {
            if (!session.Certificates.TryGetValue(key, out var cert))
            {
                throw new ConformanceFailure(FailureStage.Runner, $"the runner has no certificate {key}");
            }

            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.GZip,
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, ct);
                        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
                        string? verifyError = null;
                        try
                        {
                            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                            {
                                TargetHost = serverName,
                                ClientCertificates = [cert.Certificate],
                                ApplicationProtocols = [SslApplicationProtocol.Http11],
                                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                                {
                                    verifyError = GoVerify(presented, cert.Certificate, serverName);
                                    return verifyError is null;
                                },
                                LocalCertificateSelectionCallback = (_, _, _, _, _) => cert.Certificate,
                            }, ct);
                        }
                        catch (AuthenticationException e)
                        {
                            await stream.DisposeAsync();
                            throw new HttpRequestException($"TLS handshake with SNI {serverName} failed: {verifyError ?? e.Message}", e);
                        }

                        return stream;
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        });
    }

    /// <summary>Go's verification with RootCAs = {root} and ServerName: the chain ends in root, and the name matches a SAN.</summary>
    private static string? GoVerify(X509Certificate? presented, X509Certificate2 root, string serverName)
    {
        if (presented is null)
        {
            return "the server presented no certificate";
        }

        using var leaf = new X509Certificate2(presented);
        if (!leaf.RawData.AsSpan().SequenceEqual(root.RawData))
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (!chain.Build(leaf))
            {
                return $"the server certificate ({leaf.Subject}, serial {leaf.SerialNumber}) does not chain to the expected certificate ({root.Subject}, serial {root.SerialNumber})";
            }
        }

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (IPAddress.TryParse(serverName, out var ip))
        {
            return san?.EnumerateIPAddresses().Any(a => a.Equals(ip)) == true ? null : $"certificate has no IP SAN {serverName}";
        }

        var host = serverName.TrimEnd('.').ToLowerInvariant();
        var names = san?.EnumerateDnsNames().ToList() ?? [];
        foreach (var n in names.Select(n => n.TrimEnd('.').ToLowerInvariant()))
        {
            if (n == host)
            {
                return null;
            }

            if (n.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && host[(dot + 1)..] == n[2..])
                {
                    return null;
                }
            }
        }

        return $"certificate is not valid for {serverName} (DNS SANs: {string.Join(", ", names)})";
    }
}
