using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Models;
using Weft.Api.Model;
using Weft.Api.Yaml;

namespace Weft.ControlPlane.Store;

/// <summary>
/// The current set of resources, from every source, versioned. Sources replace their whole set
/// (the file source) or apply and delete single objects (the API). The store fills in what a
/// Kubernetes API server would: uid, creationTimestamp (kept across updates), generation (bumped when
/// anything but metadata and status changes) and resourceVersion. Readers take an immutable
/// <see cref="ResourceSnapshot"/>; writers are serialised by a lock (writes are rare, reads lock-free).
/// </summary>
public sealed class ResourceStore
{
    /// <summary>Origin of objects created with `weft apply`; they override file objects of the same key.</summary>
    public const string ApiOrigin = "api";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Dictionary<ResourceKey, StoredResource>> _bySource = new(StringComparer.Ordinal);
    // API deletes of objects that a file (or the built-in source) also defines: the file's object stays
    // hidden while the file's content for it is what was deleted; a new version of it re-asserts it.
    private readonly Dictionary<ResourceKey, Tombstone> _tombstones = [];
    private Dictionary<ResourceKey, StoredResource> _effective = [];

    // Scratch dictionaries of Recompute, kept between calls so a change in a store of thousands of
    // objects does not allocate (and promote) two more dictionaries of thousands of entries.
    private readonly Dictionary<ResourceKey, StoredResource> _merged = [];
    private Dictionary<ResourceKey, StoredResource> _spare = [];
    private readonly Dictionary<ResourceKey, string> _specFingerprints = [];
    private long _version;
    private ResourceSnapshot _snapshot = new();
    private ImmutableDictionary<ResourceKey, StoredResource> _view = ImmutableDictionary<ResourceKey, StoredResource>.Empty;

    public ResourceStore(TimeProvider time) => _time = time;

    /// <summary>Raised after every change, outside the lock, with the new snapshot.</summary>
    public event Action<ResourceSnapshot>? Changed;

    public ResourceSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Every effective resource with its origin, for the API.</summary>
    public ImmutableDictionary<ResourceKey, StoredResource> View => Volatile.Read(ref _view);

    public static ResourceKey KeyOf(IKubernetesObject<V1ObjectMeta> obj)
    {
        var kind = ResourceKinds.Of(obj);
        return new ResourceKey(kind.Group, kind.Kind, kind.Namespaced ? obj.Metadata.NamespaceProperty ?? "default" : "", obj.Metadata.Name);
    }

    /// <summary>Replaces everything a source contributes with a new set.</summary>
    public void ReplaceSource(string origin, IEnumerable<DecodedResource> resources)
    {
        ResourceSnapshot snapshot;
        lock (_gate)
        {
            // A source re-sends everything it has; what it sends unchanged (the same object from the
            // same place) keeps its stored entry, so nothing downstream churns.
            _bySource.TryGetValue(origin, out var before);
            var set = new Dictionary<ResourceKey, StoredResource>(before?.Count ?? 0);
            foreach (var r in resources)
            {
                var key = KeyOf(r.Object);
                set[key] = before is not null && before.TryGetValue(key, out var known) && ReferenceEquals(known.Object, r.Object) && known.Location == r.Location
                    ? known
                    : new StoredResource(key, r.Kind, r.Object, r.Location, origin);
            }

            _bySource[origin] = set;
            if (!Recompute())
            {
                return;
            }

            snapshot = _snapshot;
        }

        Changed?.Invoke(snapshot);
    }

    /// <summary>
    /// Creates or replaces objects through the API; returns "created", "configured" or "unchanged" per
    /// object, and where the file object it now overrides is defined, if any.
    /// </summary>
    public IReadOnlyList<ApplyOutcome> Apply(IEnumerable<DecodedResource> resources)
    {
        var outcomes = new List<ApplyOutcome>();
        ResourceSnapshot? snapshot = null;
        lock (_gate)
        {
            if (!_bySource.TryGetValue(ApiOrigin, out var api))
            {
                api = [];
                _bySource[ApiOrigin] = api;
            }

            foreach (var r in resources)
            {
                var key = KeyOf(r.Object);
                _tombstones.Remove(key);
                var existed = _effective.TryGetValue(key, out var before);
                api[key] = new StoredResource(key, r.Kind, r.Object, r.Location, ApiOrigin);
                var outcome = !existed ? "created"
                    : Fingerprint(before!.Object) == Fingerprint(r.Object) && LabelsEqual(before.Object, r.Object) ? "unchanged"
                    : "configured";
                outcomes.Add(new ApplyOutcome(key, outcome, FileObject(key)?.Location));
            }

            if (Recompute())
            {
                snapshot = _snapshot;
            }
        }

        if (snapshot is not null)
        {
            Changed?.Invoke(snapshot);
        }

        return outcomes;
    }

    /// <summary>
    /// Deletes objects, whichever source they came from. An API object is removed; a file object of the
    /// same key is hidden until its file holds a different version of it (see <see cref="Tombstone"/>).
    /// </summary>
    public IReadOnlyList<DeleteOutcome> Delete(IEnumerable<ResourceKey> keys)
    {
        var outcomes = new List<DeleteOutcome>();
        ResourceSnapshot? snapshot = null;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                var existed = _effective.ContainsKey(key);
                if (_bySource.TryGetValue(ApiOrigin, out var api))
                {
                    api.Remove(key);
                }

                var file = FileObject(key);
                if (file is not null)
                {
                    _tombstones[key] = new Tombstone(file.Object, Content(file.Object));
                }
                else
                {
                    _tombstones.Remove(key);
                }

                outcomes.Add(new DeleteOutcome(key, existed, file?.Location));
            }

            if (Recompute())
            {
                snapshot = _snapshot;
            }
        }

        if (snapshot is not null)
        {
            Changed?.Invoke(snapshot);
        }

        return outcomes;
    }

    // The object a non-API source (files, built-in) holds for a key: the one the merge would pick.
    private StoredResource? FileObject(ResourceKey key)
    {
        StoredResource? found = null;
        foreach (var (origin, set) in _bySource.Where(p => p.Key != ApiOrigin).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (set.TryGetValue(key, out var r))
            {
                found = r;
            }
        }

        return found;
    }

    /// <summary>Adds an object only if nothing with its key exists (used for the built-in GatewayClass).</summary>
    public void AddDefault(string origin, IKubernetesObject<V1ObjectMeta> obj)
    {
        var kind = ResourceKinds.Of(obj);
        ReplaceSource(origin, [new DecodedResource(obj, kind, new SourceLocation("<built-in>", 0, 0))]);
    }

    // Merges the sources into the effective set. API objects win over file objects; an API delete
    // hides the file object it deleted until the file holds another version of it. Returns whether
    // anything changed.
    private bool Recompute()
    {
        var merged = _merged;
        merged.Clear();
        foreach (var (origin, set) in _bySource.OrderBy(p => p.Key == ApiOrigin ? 1 : 0).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var (key, r) in set)
            {
                if (origin != ApiOrigin && _tombstones.TryGetValue(key, out var tombstone))
                {
                    if (tombstone.Hides(r.Object))
                    {
                        continue;
                    }

                    // The file was edited (or written again with this object changed): it re-asserts it.
                    _tombstones.Remove(key);
                }

                merged[key] = r;
            }
        }

        // A tombstone whose file no longer defines the object is done: writing it back later serves it.
        if (_tombstones.Count > 0)
        {
            foreach (var key in _tombstones.Keys.Where(k => FileObject(k) is null).ToList())
            {
                _tombstones.Remove(key);
            }
        }

        var changed = merged.Count != _effective.Count;
        var added = new List<IKubernetesObject<V1ObjectMeta>>();
        var removed = new List<IKubernetesObject<V1ObjectMeta>>();
        var now = _time.GetUtcNow().UtcDateTime;
        var next = _spare;
        next.Clear();
        foreach (var (key, incoming) in merged)
        {
            _effective.TryGetValue(key, out var previous);
            if (previous is not null && ReferenceEquals(previous.Object, incoming.Object))
            {
                next[key] = previous;
                continue;
            }

            var fingerprint = Fingerprint(incoming.Object);
            var meta = incoming.Object.Metadata;
            var prevMeta = previous?.Object.Metadata;
            meta.Uid = prevMeta?.Uid ?? meta.Uid ?? Guid.NewGuid().ToString();
            meta.CreationTimestamp = meta.CreationTimestamp ?? prevMeta?.CreationTimestamp ?? now;
            if (ResourceKinds.Of(incoming.Object).Namespaced)
            {
                meta.NamespaceProperty ??= key.Namespace;
            }

            var specChanged = !_specFingerprints.TryGetValue(key, out var oldFingerprint) || oldFingerprint != fingerprint;
            meta.Generation = prevMeta?.Generation is { } g ? (specChanged ? g + 1 : g) : meta.Generation ?? 1;
            if (previous is not null && !specChanged && LabelsEqual(previous.Object, incoming.Object))
            {
                // Same content re-read from disk: keep the old object so nothing downstream churns.
                // Where it comes from may still change (a file object now applied through the API):
                // that is news for `weft get`'s source, not for the translator.
                next[key] = previous with { Location = incoming.Location, Origin = incoming.Origin };
                changed |= previous.Origin != incoming.Origin;
                continue;
            }

            _specFingerprints[key] = fingerprint;
            meta.ResourceVersion = (_version + 1).ToString();
            next[key] = incoming;
            added.Add(incoming.Object);
            if (previous is not null)
            {
                removed.Add(previous.Object);
            }

            changed = true;
        }

        foreach (var (key, gone) in _effective)
        {
            if (!next.ContainsKey(key))
            {
                _specFingerprints.Remove(key);
                removed.Add(gone.Object);
                changed = true;
            }
        }

        if (!changed)
        {
            merged.Clear();
            next.Clear();
            return false;
        }

        // The view and the snapshot are edited from the previous ones rather than rebuilt: one
        // changed route in thousands touches one entry and one kind's list.
        var view = _view.ToBuilder();
        foreach (var key in _effective.Keys)
        {
            if (!next.ContainsKey(key))
            {
                view.Remove(key);
            }
        }

        foreach (var (key, stored) in next)
        {
            if (!_effective.TryGetValue(key, out var was) || !ReferenceEquals(was, stored))
            {
                view[key] = stored;
            }
        }

        _spare = _effective;
        _effective = next;
        merged.Clear();
        _version++;
        _view = view.ToImmutable();
        Volatile.Write(ref _snapshot, _snapshot.Edit(_version, added, removed));
        return true;
    }

    // The spec (everything but metadata and status), hashed: a change bumps metadata.generation.
    // A SHA-256 of the JSON rather than the JSON itself: the store keeps one per object, and an object
    // of megabytes (a ConfigMap) must not be kept twice, nor copied five times to be compared.
    private static string Fingerprint(IKubernetesObject<V1ObjectMeta> obj)
    {
        using var doc = JsonDocument.Parse(KubernetesJson.Serialize(obj));
        using var sha = SHA256.Create();
        using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        using (var writer = new Utf8JsonWriter(hashing))
        {
            writer.WriteStartObject();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name is not ("metadata" or "status") && p.Value.ValueKind != JsonValueKind.Null)
                {
                    p.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Convert.ToHexString(sha.Hash!);
    }

    // What a file says about an object, without what the store fills in: spec, labels, annotations.
    private static string Content(IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        static string Pairs(IDictionary<string, string>? d) =>
            d is null ? "" : string.Join('\n', d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        return Fingerprint(obj) + "\nlabels:\n" + Pairs(meta.Labels) + "\nannotations:\n" + Pairs(meta.Annotations);
    }

    /// <summary>
    /// The mark an API delete leaves on a file object: the file's content for it at the time of the
    /// delete. The object stays hidden while the file says exactly that; a new version re-asserts it.
    /// </summary>
    private sealed class Tombstone(IKubernetesObject<V1ObjectMeta> hidden, string content)
    {
        private IKubernetesObject<V1ObjectMeta> _hidden = hidden;

        public bool Hides(IKubernetesObject<V1ObjectMeta> candidate)
        {
            if (ReferenceEquals(candidate, _hidden))
            {
                return true;
            }

            // The file was re-read (it or another document in it changed): compare what it says.
            if (Content(candidate) != content)
            {
                return false;
            }

            _hidden = candidate;
            return true;
        }
    }

    private static bool LabelsEqual(IKubernetesObject<V1ObjectMeta> a, IKubernetesObject<V1ObjectMeta> b)
    {
        var la = a.Metadata.Labels;
        var lb = b.Metadata.Labels;
        if (la is null || la.Count == 0)
        {
            return lb is null || lb.Count == 0;
        }

        if (lb is null || la.Count != lb.Count)
        {
            return false;
        }

        foreach (var (k, v) in la)
        {
            if (!lb.TryGetValue(k, out var w) || w != v)
            {
                return false;
            }
        }

        return true;
    }
}
