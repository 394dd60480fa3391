using Weft.Api.Model;

namespace Weft.Translation;

/// <summary>The WEFT codes the translator emits (rows WEFT01xx of the one table in <see cref="DiagnosticCodes"/>).</summary>
internal static class TranslationDiagnostics
{
    public static DiagnosticCode GatewayClassNotFound => DiagnosticCodes.GatewayClassNotFound;
    public static DiagnosticCode FieldIgnored => DiagnosticCodes.FieldIgnored;
    public static DiagnosticCode UnsupportedParentKind => DiagnosticCodes.UnsupportedParentKind;
}
