using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weft.Conformance.Harness;

/// <summary>A generated certificate: PEMs (as stored in the Secret/ConfigMap) and a usable X509Certificate2 with its key.</summary>
internal sealed record GeneratedCertificate(string Namespace, string Name, string CertificatePem, string KeyPem, X509Certificate2 Certificate);

/// <summary>
/// The TLS material the Go suite generates at setup (FORMAT.md section 13, `runtimeResources`):
/// self-signed leaves, two CAs in ConfigMaps, and one leaf signed by a CA, with the same key sizes,
/// subjects, validity, usages and SAN classification as the suite's certificate helpers.
/// </summary>
internal static partial class TlsMaterial
{
    /// <summary>Generates every runtime resource; returns the objects to apply and the certificates by "namespace/name".</summary>
    public static (List<JsonObject> Objects, Dictionary<string, GeneratedCertificate> Certificates) Generate(JsonArray runtimeResources)
    {
        var objects = new List<JsonObject>();
        var certs = new Dictionary<string, GeneratedCertificate>(StringComparer.Ordinal);
        var cas = new Dictionary<string, GeneratedCertificate>(StringComparer.Ordinal);

        // CAs first: a caSigned leaf names its CA.
        foreach (var r in runtimeResources.Select(n => n!.AsObject()).OrderBy(r => r["generator"]!.GetValue<string>() == "ca" ? 0 : 1))
        {
            var ns = r["namespace"]!.GetValue<string>();
            var name = r["name"]!.GetValue<string>();
            var generator = r["generator"]!.GetValue<string>();
            var hosts = (r["hosts"] as JsonArray ?? []).Select(h => h!.GetValue<string>()).ToList();
            GeneratedCertificate cert;
            switch (generator)
            {
                case "ca":
                    cert = CreateCa(ns, name);
                    cas[name] = cert;
                    objects.Add(new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "ConfigMap",
                        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                        ["data"] = new JsonObject { ["ca.crt"] = cert.CertificatePem, ["key.crt"] = cert.KeyPem },
                    });
                    break;
                case "selfSigned":
                    cert = CreateLeaf(ns, name, hosts, issuer: null);
                    objects.Add(TlsSecret(cert));
                    break;
                case "caSigned":
                    var ca = cas[r["signedBy"]!.GetValue<string>()];
                    cert = CreateLeaf(ns, name, hosts, issuer: ca);
                    objects.Add(TlsSecret(cert));
                    break;
                default:
                    throw new NotSupportedException($"runtime resource generator {generator}");
            }

            certs[$"{ns}/{name}"] = cert;
        }

        return (objects, certs);
    }

    private static JsonObject TlsSecret(GeneratedCertificate c) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = c.Name, ["namespace"] = c.Namespace },
        ["type"] = "kubernetes.io/tls",
        ["data"] = new JsonObject
        {
            ["tls.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(c.CertificatePem)),
            ["tls.key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(c.KeyPem)),
        },
    };

    // Leaf: RSA 2048, random 128-bit serial, CN=default O=Acme Co, now + 365 days,
    // KeyEncipherment + DigitalSignature, ServerAuth, basic constraints (not a CA).
    private static GeneratedCertificate CreateLeaf(string ns, string name, IReadOnlyList<string> hosts, GeneratedCertificate? issuer)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("O=Acme Co, CN=default"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        if (hosts.Count > 0)
        {
            request.CertificateExtensions.Add(SubjectAlternativeNames(hosts));
        }

        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-1);
        var notAfter = notBefore.AddDays(365);
        X509Certificate2 cert;
        if (issuer is null)
        {
            cert = request.CreateSelfSigned(notBefore, notAfter);
        }
        else
        {
            using var signed = request.Create(issuer.Certificate, notBefore, notAfter < issuer.Certificate.NotAfter ? notAfter : issuer.Certificate.NotAfter.ToUniversalTime(), RandomSerial());
            cert = signed.CopyWithPrivateKey(key);
        }

        return Wrap(ns, name, cert, key);
    }

    // CA: RSA 2048, serial 2024, O=Kubernetes Gateway API C=US CN=gatewayapi, CA, DigitalSignature +
    // CertSign, ClientAuth + ServerAuth, self-signed, now + 1 year.
    private static GeneratedCertificate CreateCa(string ns, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("CN=gatewayapi, O=Kubernetes Gateway API, C=US"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var created = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), notBefore, notBefore.AddYears(1), new BigInteger(2024).ToByteArray(isUnsigned: true, isBigEndian: true));
        return Wrap(ns, name, created.CopyWithPrivateKey(key), key);
    }

    private static GeneratedCertificate Wrap(string ns, string name, X509Certificate2 withKey, RSA key)
    {
        var certPem = withKey.ExportCertificatePem() + "\n";
        var keyPem = key.ExportRSAPrivateKeyPem() + "\n";
        // A PKCS#12 round trip gives a key every platform's SslStream accepts.
        var usable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
        withKey.Dispose();
        return new GeneratedCertificate(ns, name, certPem, keyPem, usable);
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        return serial;
    }

    // Go's classification: an IP literal → IP SAN; a valid DNS name (leading "*." allowed) → DNS SAN;
    // otherwise a URL → URI SAN. So "*" is a URI SAN, as in the suite. .NET's SAN builder refuses a
    // relative URI such as "*", hence the hand-written GeneralNames.
    private static X509Extension SubjectAlternativeNames(IEnumerable<string> hosts)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var h in hosts)
            {
                if (IPAddress.TryParse(h, out var ip))
                {
                    writer.WriteOctetString(ip.GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
                }
                else if (ValidDnsName().IsMatch(h))
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, h, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
                else
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, h, new Asn1Tag(TagClass.ContextSpecific, 6));
                }
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), critical: false);
    }

    [GeneratedRegex(@"^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex ValidDnsName();
}
