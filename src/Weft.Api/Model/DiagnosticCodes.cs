namespace Weft.Api.Model;

/// <summary>One row of the diagnostic table: a stable code, what it means, and how to fix it.</summary>
public sealed record DiagnosticCode(string Code, DiagnosticSeverity Severity, string Summary, string Fix);

/// <summary>
/// The one table of WEFT codes. Codes are never reused or renumbered; add new rows at the end.
/// </summary>
public static class DiagnosticCodes
{
    public static readonly DiagnosticCode MalformedYaml = new("WEFT0001", DiagnosticSeverity.Error, "the file is not valid YAML", "correct the YAML syntax at the line shown");
    public static readonly DiagnosticCode UnknownKind = new("WEFT0002", DiagnosticSeverity.Error, "the apiVersion/kind is not one Weft reads", "check apiVersion and kind; `weft` reads Gateway API, Istio networking and core Kubernetes kinds");
    public static readonly DiagnosticCode UnknownField = new("WEFT0003", DiagnosticSeverity.Error, "a field is not part of the kind's schema", "remove the field or fix its spelling");
    public static readonly DiagnosticCode InvalidValue = new("WEFT0004", DiagnosticSeverity.Error, "a field's value has the wrong type or is out of range", "give the field a value of the type the schema expects");
    public static readonly DiagnosticCode MissingField = new("WEFT0005", DiagnosticSeverity.Error, "a required field is missing", "add the field");
    public static readonly DiagnosticCode DuplicateResource = new("WEFT0006", DiagnosticSeverity.Error, "the same resource is defined twice", "keep one definition of each kind/namespace/name");
    public static readonly DiagnosticCode UnreadableFile = new("WEFT0007", DiagnosticSeverity.Error, "a file could not be read", "check the path and permissions");
    public static readonly DiagnosticCode InvalidByCrd = new("WEFT0008", DiagnosticSeverity.Error, "a field breaks a validation rule of the kind's CRD (the API server would reject it too)", "change the value as the message says");
    public static readonly DiagnosticCode KindNotUsed = new("WEFT0010", DiagnosticSeverity.Info, "a Kubernetes kind Weft does not use (it runs workloads or configures the cluster); the document is skipped", "nothing to do; on a cluster, kubectl applies it");
    public static readonly DiagnosticCode KindNotSupportedYet = new("WEFT0011", DiagnosticSeverity.Warning, "a kind Weft does not serve yet; the resource is ignored and has no effect", "do what the message says instead, or remove the document until Weft serves this kind");
    public static readonly DiagnosticCode UnsupportedValue = new("WEFT0009", DiagnosticSeverity.Warning, "a value is allowed by the CRD but is not one the spec defines, so it will be reported as unsupported", "use one of the values the message lists, or a domain-prefixed name for an implementation-specific value");

    public static readonly DiagnosticCode InvalidUtf8 = new("WEFT0012", DiagnosticSeverity.Error, "the file or request body is not valid UTF-8; nothing in it is read", "save the file as UTF-8 (without a UTF-16 byte-order mark), or fix the byte at the offset shown");
    public static readonly DiagnosticCode SecurityPolicyNotEnforced = new("WEFT0013", DiagnosticSeverity.Warning, "SECURITY: a security policy kind Weft does not enforce yet; traffic is NOT restricted by it", "do not rely on it: keep the workload unexposed (no route to it) or enforce access in the workload itself until Weft enforces this kind; remove the document to silence this warning");
    public static readonly DiagnosticCode TelemetryNotApplied = new("WEFT0014", DiagnosticSeverity.Warning, "a telemetry kind Weft does not read yet; its settings are ignored", "nothing Weft serves today replaces it (metrics, traces and access-log settings come with the observability work); remove the document to silence this warning");
    public static readonly DiagnosticCode NotRe2 = new("WEFT0015", DiagnosticSeverity.Error, "a regular expression is not RE2 syntax (the message names the construct), or is RE2 that Weft cannot match in linear time; Weft matches regexes in linear time only, as the Gateway API and Envoy do", "rewrite the pattern in RE2 syntax (https://github.com/google/re2/wiki/Syntax): no backreferences, lookarounds, atomic groups, possessive quantifiers, conditionals or \\G/\\Z");

    // Translator (WEFT01xx): findings that are not status conditions.
    public static readonly DiagnosticCode GatewayClassNotFound = new("WEFT0100", DiagnosticSeverity.Warning, "a Gateway names a GatewayClass that does not exist, so no controller serves it", "create the GatewayClass or fix spec.gatewayClassName");
    public static readonly DiagnosticCode FieldIgnored = new("WEFT0101", DiagnosticSeverity.Warning, "a field is valid but Weft does not apply it (it has no effect)", "remove the field, or do not rely on it");
    public static readonly DiagnosticCode UnsupportedParentKind = new("WEFT0102", DiagnosticSeverity.Warning, "a route's parentRef names a kind no Weft translator serves; no status is written for it", "attach the route to a Gateway (or a Service, for mesh routes)");

    public static readonly DiagnosticCode IstioReferenceNotFound = new("WEFT0103", DiagnosticSeverity.Error, "a VirtualService names a host or subset that no Service or DestinationRule defines; its calls get 500", "create the Service / DestinationRule subset, or fix the host or subset name");
    public static readonly DiagnosticCode RoutesOverlap = new("WEFT0104", DiagnosticSeverity.Warning, "a Service has both a VirtualService and mesh HTTPRoutes; the VirtualService's routes are used", "route the Service with one kind of resource");

    public static IReadOnlyList<DiagnosticCode> All { get; } =
        [MalformedYaml, UnknownKind, UnknownField, InvalidValue, MissingField, DuplicateResource, UnreadableFile,
         InvalidByCrd, UnsupportedValue, KindNotUsed, KindNotSupportedYet, InvalidUtf8, SecurityPolicyNotEnforced, TelemetryNotApplied, NotRe2,
         GatewayClassNotFound, FieldIgnored, UnsupportedParentKind, IstioReferenceNotFound, RoutesOverlap];

    public static DiagnosticCode? Find(string code)
    {
        foreach (var c in All)
        {
            if (c.Code == code)
            {
                return c;
            }
        }

        return null;
    }
}
