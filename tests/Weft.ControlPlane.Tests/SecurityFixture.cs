using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Weft.ControlPlane.Tests;

/// <summary>Manifests with real TLS material for the security tests.</summary>
internal static class SecurityFixture
{
    /// <summary>A kubernetes.io/tls Secret with a fresh self-signed certificate for <paramref name="host"/>.</summary>
    public static (string Yaml, string KeyPem) TlsSecret(string name, string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPem = cert.ExportCertificatePem();
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var yaml = $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {name}
              namespace: default
            type: kubernetes.io/tls
            data:
              tls.crt: {Convert.ToBase64String(Encoding.ASCII.GetBytes(certPem))}
              tls.key: {Convert.ToBase64String(Encoding.ASCII.GetBytes(keyPem))}
            """;
        return (yaml, keyPem);
    }

    /// <summary>A Gateway with an HTTPS listener on <paramref name="port"/> terminating with <paramref name="secret"/>.</summary>
    public static string HttpsGateway(string name, int port, string secret, string host) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: {name}
          namespace: default
        spec:
          gatewayClassName: weft
          listeners:
          - name: https
            protocol: HTTPS
            port: {port}
            hostname: {host}
            tls:
              mode: Terminate
              certificateRefs:
              - name: {secret}
        """;

    /// <summary>The middle of a PEM block: what must never appear in an answer.</summary>
    public static string KeyBody(string pem) => pem.Split('\n')[2].Trim();

    /// <summary>
    /// Every string value in a JSON text, unescaped and concatenated with newlines (JSON escapes '+' in
    /// base64 and PEM, so searching the raw text for key material would prove nothing).
    /// </summary>
    public static string Strings(string json)
    {
        var text = new StringBuilder();
        Walk(System.Text.Json.Nodes.JsonNode.Parse(json));
        return text.ToString();

        void Walk(System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
                case System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s):
                    text.Append(s).Append('\n');
                    break;
            }
        }
    }
}
