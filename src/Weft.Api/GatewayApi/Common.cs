using System.Text.Json.Serialization;

namespace Weft.Api.GatewayApi;

/// <summary>Names of the Gateway API's groups and kinds, as the spec spells them.</summary>
public static class GatewayApiGroup
{
    public const string Name = "gateway.networking.k8s.io";
    public const string V1 = Name + "/v1";
    public const string V1Beta1 = Name + "/v1beta1";
}

/// <summary>A reference to a parent (a Gateway, or a Service for mesh routes) from a route.</summary>
public sealed record ParentReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Namespace { get; init; }
    public required string Name { get; init; }
    public string? SectionName { get; init; }
    public int? Port { get; init; }
}

/// <summary>A reference to an object in another namespace, e.g. a Secret from a listener.</summary>
public sealed record SecretObjectReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
}

public sealed record RouteParentStatus
{
    public required ParentReference ParentRef { get; init; }
    public required string ControllerName { get; init; }
    public List<k8s.Models.V1Condition> Conditions { get; init; } = [];
}

/// <summary>Status shared by every route kind.</summary>
public sealed record RouteStatus
{
    public List<RouteParentStatus> Parents { get; init; } = [];
}

public sealed record RouteGroupKind
{
    public string? Group { get; init; }
    public required string Kind { get; init; }
}

/// <summary>Condition types and reasons, as the spec spells them.</summary>
public static class Conditions
{
    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Conflicted = "Conflicted";
    public const string SupportedVersion = "SupportedVersion";
    public const string PartiallyInvalid = "PartiallyInvalid";
}

public static class Reasons
{
    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Invalid = "Invalid";
    public const string InvalidParameters = "InvalidParameters";
    public const string Pending = "Pending";
    public const string NoConflicts = "NoConflicts";
    public const string HostnameConflict = "HostnameConflict";
    public const string ProtocolConflict = "ProtocolConflict";
    public const string PortUnavailable = "PortUnavailable";
    public const string UnsupportedProtocol = "UnsupportedProtocol";
    public const string UnsupportedValue = "UnsupportedValue";
    public const string InvalidCertificateRef = "InvalidCertificateRef";
    public const string InvalidRouteKinds = "InvalidRouteKinds";
    public const string RefNotPermitted = "RefNotPermitted";
    public const string NotAllowedByListeners = "NotAllowedByListeners";
    public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
    public const string NoMatchingParent = "NoMatchingParent";
    public const string BackendNotFound = "BackendNotFound";
    public const string InvalidKind = "InvalidKind";
    public const string UnsupportedAddress = "UnsupportedAddress";
    public const string AddressNotAssigned = "AddressNotAssigned";
    public const string AddressNotUsable = "AddressNotUsable";
    public const string ListenersNotValid = "ListenersNotValid";
    public const string NoResources = "NoResources";
    public const string UnsupportedRouteKind = "UnsupportedRouteKind";
}

/// <summary>A feature a GatewayClass reports as supported.</summary>
public sealed record SupportedFeature
{
    public required string Name { get; init; }
}

internal static class JsonDefaults
{
    // Marker so the naming convention is visible in one place: the codec uses camelCase for
    // every property, matching the CRDs; a property whose JSON name differs says so explicitly.
    public const JsonIgnoreCondition IgnoreNull = JsonIgnoreCondition.WhenWritingNull;
}
