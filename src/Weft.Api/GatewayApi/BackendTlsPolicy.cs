using k8s;
using k8s.Models;

namespace Weft.Api.GatewayApi;

/// <summary>
/// BackendTLSPolicy (gateway.networking.k8s.io/v1 since v1.4): how a Gateway connects to a Service
/// over TLS — the CA to trust, the SNI / name to verify, and optionally the SANs to accept.
/// </summary>
public sealed class BackendTlsPolicy : IKubernetesObject<V1ObjectMeta>, ISpec<BackendTlsPolicySpec>
{
    public const string KindName = "BackendTLSPolicy";

    public string ApiVersion { get; set; } = GatewayApiGroup.V1;
    public string Kind { get; set; } = KindName;
    public V1ObjectMeta Metadata { get; set; } = new();
    public BackendTlsPolicySpec Spec { get; set; } = new();
    public PolicyStatus? Status { get; set; }
}

public sealed record BackendTlsPolicySpec
{
    public List<LocalPolicyTargetReferenceWithSectionName> TargetRefs { get; init; } = [];
    public BackendTlsPolicyValidation Validation { get; init; } = new();

    /// <summary>Implementation-specific TLS options; Weft defines none (reported, not applied).</summary>
    public Dictionary<string, string>? Options { get; init; }
}

public sealed record LocalPolicyTargetReferenceWithSectionName
{
    public string Group { get; init; } = "";
    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary>For a Service: the name of one of its ports.</summary>
    public string? SectionName { get; init; }
}

public sealed record BackendTlsPolicyValidation
{
    public List<LocalObjectReference>? CaCertificateRefs { get; init; }

    /// <summary>"System": the platform's trust store.</summary>
    public string? WellKnownCACertificates { get; init; }

    /// <summary>The SNI sent to the backend, and the name its certificate must carry unless subjectAltNames is set.</summary>
    public string Hostname { get; init; } = "";
    public List<SubjectAltName>? SubjectAltNames { get; init; }
}

public sealed record SubjectAltName
{
    /// <summary>Hostname or URI.</summary>
    public required string Type { get; init; }
    public string? Hostname { get; init; }
    public string? Uri { get; init; }
}

/// <summary>Status of a direct policy attachment (GEP-713): one entry per ancestor the policy affects.</summary>
public sealed record PolicyStatus
{
    public List<PolicyAncestorStatus> Ancestors { get; init; } = [];
}

public sealed record PolicyAncestorStatus
{
    public required ParentReference AncestorRef { get; init; }
    public required string ControllerName { get; init; }
    public List<V1Condition> Conditions { get; init; } = [];
}
