using System.Collections.Immutable;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Weft.Api.GatewayApi;
using Weft.Api.Model;
using Weft.ControlPlane.Distribution;
using Weft.ControlPlane.Status;
using Weft.ControlPlane.Store;
using Weft.Translation;

namespace Weft.ControlPlane.Hosting;

/// <summary>
/// The control plane's loop: every store change is translated (changes that arrive while a
/// translation runs are coalesced into the next one), status is recorded, and each gateway's
/// snapshot is handed to the distribution cache. Translation runs on one background task, so the
/// translator never sees two snapshots at once.
/// </summary>
public sealed partial class ControlPlaneEngine : IAsyncDisposable
{
    public const string BuiltInOrigin = "builtin";

    private readonly ResourceStore _store;
    private readonly StatusStore _status;
    private readonly SnapshotCache _cache;
    private readonly ControlPlaneOptions _options;
    private readonly GatewayAddressAllocator _addresses;
    private readonly ILogger _logger;
    private readonly TranslationCache _translationCache = new();
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private TranslationResult? _last;
    private long _translatedVersion = -1;
    private TaskCompletionSource _translated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ControlPlaneEngine(ResourceStore store, StatusStore status, SnapshotCache cache, ControlPlaneOptions options, ILogger<ControlPlaneEngine> logger)
    {
        _store = store;
        _status = status;
        _cache = cache;
        _options = options;
        _addresses = new GatewayAddressAllocator(options.FirstGatewayAddress);
        _logger = logger;
        _store.Changed += _ => MarkDirty();
    }

    /// <summary>The latest translation (IR per gateway, diagnostics); its statuses are in the <see cref="StatusStore"/>, not here.</summary>
    public TranslationResult? Last => Volatile.Read(ref _last);

    /// <summary>Raised after each translation with its result.</summary>
    public event Action<TranslationResult>? Translated;

    public void Start()
    {
        // Weft brings its own GatewayClass so that a Gateway with `gatewayClassName: weft` works
        // out of the box; a GatewayClass named `weft` in the user's files replaces it.
        _store.AddDefault(BuiltInOrigin, new GatewayClass
        {
            Metadata = new V1ObjectMeta { Name = ControlPlaneOptions.DefaultGatewayClassName },
            Spec = new GatewayClassSpec { ControllerName = _options.ControllerName, Description = "Weft's built-in GatewayClass" },
        });
        _loop = Task.Run(() => LoopAsync(_stop.Token));
        MarkDirty();
    }

    /// <summary>Waits until the store's current version has been translated.</summary>
    public async Task WaitForTranslationAsync(CancellationToken ct)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _translated).Task;
            if (Interlocked.Read(ref _translatedVersion) >= _store.Snapshot.Version)
            {
                return;
            }

            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void MarkDirty()
    {
        try
        {
            _dirty.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already marked; the next translation will see this change too.
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _dirty.WaitAsync(ct).ConfigureAwait(false);
                TranslateOnce();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                // A translator bug must not stop the control plane; proxies keep their last snapshot.
                LogTranslationFailed(e);
            }
        }
    }

    private void TranslateOnce()
    {
        var snapshot = _store.Snapshot;
        var view = _store.View;
        var addresses = _addresses.Assign(snapshot.Gateways
            .Select(g => (Gateway: g, Stored: view.GetValueOrDefault(ResourceStore.KeyOf(g))))
            .OrderBy(p => p.Stored?.Location?.File ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.Stored?.Location?.Line ?? 0)
            .Select(p => p.Gateway));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pausedBefore = GC.GetTotalPauseDuration();
        var result = Translator.Translate(snapshot, new TranslatorOptions
        {
            ControllerName = _options.ControllerName,
            PortOffset = _options.PortOffset,
            GatewayAddresses = addresses,
            Cache = _translationCache,
        });
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var snapshots = new Dictionary<string, Ir.GatewaySnapshotIr>(result.Gateways, StringComparer.Ordinal);
        foreach (var (ns, sidecar) in result.Sidecars)
        {
            snapshots[SnapshotKeys.ForSidecar(ns)] = sidecar;
        }

        // Proxies first (the change reaches traffic sooner), then status.
        _cache.Update(snapshots);
        _status.Set(result.Statuses.Select(s => (s.Key, s.Status)));

        // Statuses live in the status store from here on, which keeps an unchanged status's previous
        // object; holding the translator's fresh copies too would keep thousands of objects alive per
        // change for nothing (and every one of them is promoted by the next collections).
        result = result with { Statuses = [] };
        Volatile.Write(ref _last, result);
        Interlocked.Exchange(ref _translatedVersion, snapshot.Version);
        var signal = Interlocked.Exchange(ref _translated, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        signal.TrySetResult();
        LogTranslated(snapshot.Version, result.Gateways.Count, _translationCache.LastRouteCounts.Compiled, _translationCache.LastRouteCounts.Reused, _translationCache.LastAttachmentCounts.Reused, elapsed.TotalMilliseconds, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds - elapsed.TotalMilliseconds, (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
        ReportNewDiagnostics(result.Diagnostics);
        Translated?.Invoke(result);
    }

    public ImmutableArray<Diagnostic> Diagnostics => Last?.Diagnostics ?? [];

    private HashSet<string> _reported = [];

    // Each finding is logged once, when it first appears (translation runs on every change).
    private void ReportNewDiagnostics(ImmutableArray<Diagnostic> diagnostics)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in diagnostics)
        {
            var text = d.ToString();
            current.Add(text);
            if (!_reported.Contains(text))
            {
                LogDiagnostic(d.Severity switch
                {
                    DiagnosticSeverity.Error => LogLevel.Error,
                    DiagnosticSeverity.Warning => LogLevel.Warning,
                    _ => LogLevel.Information,
                }, text);
            }
        }

        _reported = current;
    }

    [LoggerMessage(Message = "{Diagnostic}")]
    private partial void LogDiagnostic(LogLevel level, string diagnostic);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _dirty.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "translated store version {Version}: {Gateways} gateways ({Compiled} HTTPRoutes compiled, {Reused} reused; {AttachmentsReused} attachments replayed) in {Milliseconds:F1} ms, status and snapshots in {PublishMs:F1} ms (GC pauses {GcPauseMs:F1} ms)")]
    private partial void LogTranslated(long version, int gateways, int compiled, int reused, int attachmentsReused, double milliseconds, double publishMs, double gcPauseMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "translation failed; proxies keep their last snapshot")]
    private partial void LogTranslationFailed(Exception e);
}
