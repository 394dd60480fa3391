using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Weft.Ir;
using Weft.Routing;

namespace Weft.Proxy.Model;

/// <summary>
/// The server certificates of one HTTPS port, chosen by SNI with the same host lookup as routing
/// (exact listener, longest wildcard, then the listener without hostname).
/// </summary>
internal sealed class PortTls
{
    private readonly SslStreamCertificateContext?[] _byListener;
    private readonly SslStreamCertificateContext? _fallback;

    private PortTls(SslStreamCertificateContext?[] byListener, SslStreamCertificateContext? fallback)
    {
        _byListener = byListener;
        _fallback = fallback;
    }

    public static PortTls? Compile(PortModel port, List<string> errors)
    {
        if (port.Ir.Protocol != ListenerProtocol.Https)
        {
            return null;
        }

        var byListener = new SslStreamCertificateContext?[port.Listeners.Count];
        SslStreamCertificateContext? catchAll = null;
        SslStreamCertificateContext? first = null;
        foreach (var listener in port.Listeners)
        {
            if (listener.Ir.Certificate is not { } certificate)
            {
                continue;
            }

            try
            {
                var context = Load(certificate);
                byListener[listener.Index] = context;

                first ??= context;
                if (listener.Hostname is null)
                {
                    catchAll ??= context;
                }
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                errors.Add($"listener {listener.Name}: invalid certificate or key: {e.Message}");
            }
        }

        // Clients without SNI (or naming no listener) get the catch-all listener's certificate, else the first.
        return new PortTls(byListener, catchAll ?? first);
    }

    public SslStreamCertificateContext? Select(PortModel port, string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName) && port.FindListener(HostName.Normalize(serverName)) is { } listener
            && _byListener[listener.Index] is { } context)
        {
            return context;
        }

        return _fallback;
    }

    private static SslStreamCertificateContext Load(TlsCertificateIr certificate)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.PrivateKeyPem);

        // A PEM-loaded key is ephemeral; SslStream on Windows cannot use one, so round-trip through
        // PKCS#12 to get a key every platform's TLS stack accepts.
        var leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);

        // Intermediates after the leaf in the PEM are sent in the handshake.
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certificate.CertificatePem);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }
}
