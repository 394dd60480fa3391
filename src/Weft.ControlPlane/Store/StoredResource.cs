using k8s;
using k8s.Models;
using Weft.Api.Model;

namespace Weft.ControlPlane.Store;

/// <summary>A resource as the store holds it: the object (metadata filled in by the store) and where it came from.</summary>
public sealed record StoredResource(ResourceKey Key, ResourceKind Kind, IKubernetesObject<V1ObjectMeta> Object, SourceLocation? Location, string Origin);
