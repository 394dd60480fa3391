using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Weft.Ir;
using Yarp.ReverseProxy.Forwarder;

namespace Weft.Proxy.Clusters;

/// <summary>
/// The HTTP client of clusters reached over TLS (BackendTLSPolicy). The handshake is done in the
/// handler's ConnectCallback and the forwarder still sees "http://" destinations: SocketsHttpHandler
/// would otherwise send the request's Host header as SNI, while the policy fixes the SNI
/// (validation.hostname) independently of the Host the route forwards. Verification is ours: the
/// chain must end in the policy's CAs (a custom trust store; system roots only with
/// wellKnownCACertificates: System), and the certificate must carry the SNI — or, when the policy
/// lists subjectAltNames, one of those (DNS or URI SANs; the subject CN is not consulted).
/// </summary>
internal static class UpstreamTlsClient
{
    // One client per distinct TLS setting, shared across snapshots so a snapshot swap keeps the
    // connection pools; the number of entries is bounded by the distinct policies ever applied.
    private static readonly ConcurrentDictionary<string, HttpMessageInvoker> Clients = new(StringComparer.Ordinal);

    public static HttpMessageInvoker For(UpstreamTlsIr tls, UpstreamProtocol protocol, GatewayProxyOptions options) =>
        Clients.GetOrAdd(Key(tls, protocol), _ => Create(tls, protocol, options));

    private static string Key(UpstreamTlsIr tls, UpstreamProtocol protocol)
    {
        var key = new StringBuilder();
        key.Append(protocol).Append('\n').Append(tls.Sni).Append('\n').Append(tls.SystemTrust).Append('\n');
        foreach (var pem in tls.TrustedCaPem)
        {
            key.Append(pem).Append('\n');
        }

        foreach (var san in tls.SubjectAltNames)
        {
            key.Append(san.Type).Append(':').Append(san.Value).Append('\n');
        }

        return key.ToString();
    }

    private static HttpMessageInvoker Create(UpstreamTlsIr tls, UpstreamProtocol protocol, GatewayProxyOptions options)
    {
        var verifier = new CertificateVerifier(tls);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = tls.Sni,
            ApplicationProtocols = [protocol == UpstreamProtocol.H2c ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = verifier.Validate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        return new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            RequestHeaderEncodingSelector = Weft.Proxy.Forwarding.HeaderBytes.RequestEncoding,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                SslStream? ssl = null;
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
                    await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
                    return ssl;
                }
                catch
                {
                    if (ssl is not null)
                    {
                        await ssl.DisposeAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        socket.Dispose();
                    }

                    throw;
                }
            },
        });
    }

    /// <summary>Chain and name checks for one TLS setting; the trust anchors are parsed once.</summary>
    internal sealed class CertificateVerifier
    {
        private readonly X509Certificate2Collection _roots = [];
        private readonly bool _systemTrust;
        private readonly string _sni;
        private readonly UpstreamSubjectAltNameIr[] _subjectAltNames;

        public CertificateVerifier(UpstreamTlsIr tls)
        {
            foreach (var pem in tls.TrustedCaPem)
            {
                try
                {
                    _roots.ImportFromPem(pem);
                }
                catch (CryptographicException)
                {
                    // The translator only sends parsed PEMs; should one still be bad, it adds no
                    // trust (fail closed) rather than failing the whole snapshot.
                }
            }

            _systemTrust = tls.SystemTrust;
            _sni = tls.Sni;
            _subjectAltNames = [.. tls.SubjectAltNames];
        }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null || (_roots.Count == 0 && !_systemTrust))
            {
                return false; // nothing is trusted: an unresolvable CA never means "trust anything"
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var trusted = (_systemTrust && (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0)
                          || (_roots.Count > 0 && ChainsToRoots(leaf, chain));
            return trusted && NamesMatch(leaf);
        }

        private bool ChainsToRoots(X509Certificate2 leaf, X509Chain? presented)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                // Intermediates the server sent.
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return chain.Build(leaf);
        }

        internal bool NamesMatch(X509Certificate2 leaf)
        {
            var (dns, uris) = SubjectAltNames(leaf);
            if (_subjectAltNames.Length == 0)
            {
                return dns.Any(d => HostMatches(d, _sni));
            }

            foreach (var san in _subjectAltNames)
            {
                if (san.Type == UpstreamSanType.Hostname ? dns.Any(d => HostMatches(d, san.Value)) : uris.Contains(san.Value, StringComparer.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A DNS SAN against a name: exact (case-insensitive), or "*.rest" matching exactly one label.</summary>
        internal static bool HostMatches(string pattern, string name)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                return dot > 0 && string.Equals(pattern[1..], name[dot..], StringComparison.OrdinalIgnoreCase);
            }

            return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The DNS names and URIs of the certificate's subjectAltName extension (GeneralName [2] and [6]).</summary>
        private static (List<string> Dns, List<string> Uris) SubjectAltNames(X509Certificate2 certificate)
        {
            var dns = new List<string>();
            var uris = new List<string>();
            var extension = certificate.Extensions["2.5.29.17"];
            if (extension is null)
            {
                return (dns, uris);
            }

            try
            {
                var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (sequence.HasData)
                {
                    var tag = sequence.PeekTag();
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 2 or 6)
                    {
                        var value = sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag);
                        (tag.TagValue == 2 ? dns : uris).Add(value);
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                return ([], []); // a malformed extension matches nothing
            }
            catch (CryptographicException)
            {
                return ([], []);
            }

            return (dns, uris);
        }
    }
}
