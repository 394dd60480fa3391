namespace Weft.Api.Model;

public enum DiagnosticSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>
/// A problem found in user input, with a stable code, the place (file:line, resource, field path)
/// and a fix. Rendered as "file:line:col: error WEFT0003: Gateway/ns/name: spec.listeners[0].prot: unknown field ...".
/// </summary>
public sealed record Diagnostic
{
    public required string Code { get; init; }
    public required DiagnosticSeverity Severity { get; init; }
    public required string Message { get; init; }
    public SourceLocation? Location { get; init; }

    /// <summary>"Kind/namespace/name" when the resource is known.</summary>
    public string? Resource { get; init; }

    /// <summary>Field path in the resource, e.g. "spec.rules[0].backendRefs[1].port".</summary>
    public string? Field { get; init; }

    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var sev = Severity.ToString().ToLowerInvariant();
        var res = Resource is null ? "" : Resource + ": ";
        var field = Field is null ? "" : Field + ": ";
        var fix = DiagnosticCodes.Find(Code)?.Fix;
        return $"{where}{sev} {Code}: {res}{field}{Message}" + (fix is null ? "" : $" (fix: {fix})");
    }
}
