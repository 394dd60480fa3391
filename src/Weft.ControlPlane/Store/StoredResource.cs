using k8s;
using k8s.Models;
using Weft.Api.Model;

namespace Weft.ControlPlane.Store;

/// <summary>A resource as the store holds it: the object (metadata filled in by the store) and where it came from.</summary>
public sealed record StoredResource(ResourceKey Key, ResourceKind Kind, IKubernetesObject<V1ObjectMeta> Object, SourceLocation? Location, string Origin)
{
    /// <summary>Where the serving object came from, as `weft get` shows it: "api", "built-in" or "file PATH:LINE".</summary>
    public string Source => Origin == ResourceStore.ApiOrigin ? "api"
        : Location is null || Location.File == "<built-in>" ? "built-in"
        : Location.Line > 0 ? $"file {Location.File}:{Location.Line}"
        : $"file {Location.File}";
}

/// <summary>The result of applying one object: created/configured/unchanged, and the file object it now overrides, if any.</summary>
public sealed record ApplyOutcome(ResourceKey Key, string Outcome, SourceLocation? Shadows);

/// <summary>The result of deleting one object, and the file object that stays hidden until its file changes it, if any.</summary>
public sealed record DeleteOutcome(ResourceKey Key, bool Deleted, SourceLocation? Hides);
