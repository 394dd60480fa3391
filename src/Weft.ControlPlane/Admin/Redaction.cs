using System.Text.Json.Nodes;

namespace Weft.ControlPlane.Admin;

/// <summary>
/// Keeps private data out of everything the API returns, as Envoy's config dump does: a Secret's
/// values (but for the public certificates a TLS or CA Secret carries) and every private key in
/// the proxies' config read "[redacted]". The data is still used; it is only never shown.
/// </summary>
internal static class Redaction
{
    public const string Redacted = "[redacted]";

    // Public halves of kubernetes.io/tls Secrets and CA bundles: shown so `weft get` can tell which certificate is in use.
    private static readonly HashSet<string> PublicKeys = new(StringComparer.Ordinal) { "tls.crt", "ca.crt" };

    // kubectl's copy of the whole object as applied, values included.
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Redacts a Secret in the API's JSON shape, in place.</summary>
    public static void Secret(JsonObject secret)
    {
        foreach (var field in new[] { "data", "stringData" })
        {
            if (secret[field] is JsonObject values)
            {
                foreach (var key in values.Select(p => p.Key).ToList())
                {
                    if (!PublicKeys.Contains(key))
                    {
                        values[key] = Redacted;
                    }
                }
            }
        }

        if (secret["metadata"]?["annotations"] is JsonObject annotations && annotations.ContainsKey(LastApplied))
        {
            annotations[LastApplied] = Redacted;
        }
    }

    /// <summary>Redacts every private key in a proxy snapshot's JSON, in place.</summary>
    public static void Snapshot(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "privateKeyPem" || HoldsPrivateKey(value))
                    {
                        obj[key] = Redacted;
                    }
                    else
                    {
                        Snapshot(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (HoldsPrivateKey(array[i]))
                    {
                        array[i] = Redacted;
                    }
                    else
                    {
                        Snapshot(array[i]);
                    }
                }

                break;
        }
    }

    // A PEM private key wherever it sits, under any name: the config dump never shows one.
    private static bool HoldsPrivateKey(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains("PRIVATE KEY", StringComparison.Ordinal);
}
