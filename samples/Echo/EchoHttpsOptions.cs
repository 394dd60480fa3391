using System.Security.Cryptography.X509Certificates;

namespace Weft.Samples.Echo;

/// <summary>
/// The TLS listener, as echo-basic runs it for BackendTLSPolicy tests: it serves the given
/// certificate and, only when <see cref="ClientCertificateAuthorities"/> is set, asks for a client
/// certificate and verifies it if one is presented (Go's <c>VerifyClientCertIfGiven</c>).
/// </summary>
public sealed record EchoHttpsOptions
{
    /// <summary>TLS port (echo-basic default 8443); 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Serving certificate, with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediates sent after the serving certificate.</summary>
    public X509Certificate2Collection? CertificateChain { get; init; }

    /// <summary>Roots trusted for client certificates (echo-basic: TLS_CLIENT_CACERTS).</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>Loads the PEM files echo-basic takes (TLS_SERVER_CERT, TLS_SERVER_PRIVKEY, TLS_CLIENT_CACERTS).</summary>
    public static EchoHttpsOptions FromPemFiles(int port, string certificatePath, string keyPath, string? clientCaPath)
    {
        using var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // A PEM-loaded key is ephemeral, which SslStream cannot use on Windows; a PKCS#12 round
        // trip gives a key every platform accepts.
        var certificate = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), password: null);

        // The certificate file may carry the chain after the leaf, as Go's tls.LoadX509KeyPair allows.
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        X509Certificate2Collection? authorities = null;
        if (!string.IsNullOrEmpty(clientCaPath))
        {
            authorities = [];
            authorities.ImportFromPemFile(clientCaPath);
            if (authorities.Count == 0)
            {
                throw new ArgumentException($"no certificate found in client CA file '{clientCaPath}'");
            }
        }

        return new EchoHttpsOptions
        {
            Port = port,
            Certificate = certificate,
            CertificateChain = chain.Count > 0 ? chain : null,
            ClientCertificateAuthorities = authorities,
        };
    }
}
