using Microsoft.Extensions.Logging;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Store;

namespace Weft.ControlPlane.Sources.File;

/// <summary>
/// Feeds the store from files and folders of multi-document YAML and watches them.
/// Each file is decoded on its own; a file with errors keeps contributing its last good
/// resources (or, on first read, the documents that decoded cleanly) so that a typo never
/// takes down what was serving. An edit reaches the store within the debounce delay.
/// </summary>
public sealed partial class FileSource : IAsyncDisposable
{
    public const string Origin = "files";

    // An edit is read once the folder has been quiet this long (editors and `cp -r` write in bursts),
    // but never later than MaxDebounce after its first event, so a steady stream of writes cannot
    // starve the reload.
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDebounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly IReadOnlyList<string> _paths;
    private readonly ResourceStore _store;
    private readonly ILogger _logger;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private IReadOnlyList<Diagnostic> _diagnostics = [];

    public FileSource(IEnumerable<string> paths, ResourceStore store, ILogger<FileSource> logger)
    {
        _paths = [.. paths.Select(Path.GetFullPath)];
        _store = store;
        _logger = logger;
    }

    /// <summary>The current findings over all files (errors of files that are serving their last good version included).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => Volatile.Read(ref _diagnostics);

    /// <summary>Raised after each reload with the diagnostics of that reload.</summary>
    public event Action<IReadOnlyList<Diagnostic>>? Reloaded;

    /// <summary>Reads everything once and starts watching. Missing paths are errors, reported like the others.</summary>
    public void Start()
    {
        Reload();
        foreach (var path in _paths)
        {
            var dir = Directory.Exists(path) ? path : Path.GetDirectoryName(path);
            if (dir is null || !Directory.Exists(dir))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(dir)
            {
                IncludeSubdirectories = Directory.Exists(path),
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
            };
            if (!Directory.Exists(path))
            {
                watcher.Filter = Path.GetFileName(path);
            }

            watcher.Changed += (_, _) => _signal.Release();
            watcher.Created += (_, _) => _signal.Release();
            watcher.Deleted += (_, _) => _signal.Release();
            watcher.Renamed += (_, _) => _signal.Release();
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        _loop = Task.Run(() => WatchLoopAsync(_stop.Token));
    }

    private async Task WatchLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Watcher events wake us at once; the poll catches what inotify misses
                // (editors that replace files, network file systems, exhausted watch limits).
                if (await _signal.WaitAsync(PollInterval, ct).ConfigureAwait(false))
                {
                    var first = System.Diagnostics.Stopwatch.GetTimestamp();
                    do
                    {
                        await Task.Delay(Debounce, ct).ConfigureAwait(false);
                    }
                    while (Drain() && System.Diagnostics.Stopwatch.GetElapsedTime(first) < MaxDebounce);
                }

                Reload();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                LogReloadFailed(e);
            }
        }
    }

    // True when events arrived since the last look (the folder is not quiet yet).
    private bool Drain()
    {
        var any = false;
        while (_signal.Wait(0))
        {
            any = true;
        }

        return any;
    }

    /// <summary>Re-reads files whose size or time changed, and pushes the result to the store.</summary>
    public void Reload()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<Diagnostic>();
        var changed = false;
        foreach (var path in _paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                             .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                {
                    seen.Add(file);
                    changed |= Refresh(file);
                }
            }
            else if (System.IO.File.Exists(path))
            {
                seen.Add(path);
                changed |= Refresh(path);
            }
            else
            {
                missing.Add(new Diagnostic
                {
                    Code = DiagnosticCodes.UnreadableFile.Code,
                    Severity = DiagnosticSeverity.Error,
                    Message = "no such file or directory",
                    Location = new SourceLocation(path, 0, 0),
                });
            }
        }

        foreach (var gone in _files.Keys.Where(f => !seen.Contains(f)).ToList())
        {
            _files.Remove(gone);
            changed = true;
        }

        var diagnostics = missing.Concat(_files.Values.SelectMany(f => f.Diagnostics)).ToList();
        var previousDiagnostics = _diagnostics;
        Volatile.Write(ref _diagnostics, diagnostics);
        if (changed)
        {
            _store.ReplaceSource(Origin, _files.Values.SelectMany(f => f.Serving));
            LogReloaded(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        if (changed || !previousDiagnostics.SequenceEqual(diagnostics))
        {
            foreach (var d in missing)
            {
                Log(d);
            }

            Reloaded?.Invoke(diagnostics);
        }
    }

    private bool Refresh(string file)
    {
        FileInfo info;
        byte[] bytes;
        try
        {
            info = new FileInfo(file);
            if (_files.TryGetValue(file, out var known) && known.Length == info.Length && known.WriteTime == info.LastWriteTimeUtc)
            {
                return false;
            }

            // Bytes, not text: invalid UTF-8 is an error naming the offset, never silently U+FFFD.
            bytes = System.IO.File.ReadAllBytes(file);
        }
        catch (IOException e)
        {
            // A file mid-write: the next event or poll reads it again.
            LogReadRetry(file, e.Message);
            return false;
        }

        var result = YamlCodec.DecodeUtf8(bytes, file);
        _files.TryGetValue(file, out var previous);
        IReadOnlyList<DecodedResource> serving = !result.HasErrors || previous is null ? result.Resources : previous.Serving;
        _files[file] = new FileState(info.Length, info.LastWriteTimeUtc, serving, result.Diagnostics);
        foreach (var d in result.Diagnostics)
        {
            Log(d);
        }

        if (result.HasErrors && previous is not null)
        {
            LogKeepingLastGood(file);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var w in _watchers)
        {
            w.Dispose();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private sealed record FileState(long Length, DateTime WriteTime, IReadOnlyList<DecodedResource> Serving, IReadOnlyList<Diagnostic> Diagnostics);

    // Errors and warnings are for the user; infos (a Deployment skipped in local mode) only when asked.
    private void Log(Diagnostic d) => LogDiagnostic(d.Severity switch
    {
        DiagnosticSeverity.Error => LogLevel.Error,
        DiagnosticSeverity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    }, d.ToString());

    [LoggerMessage(Message = "{Diagnostic}")]
    private partial void LogDiagnostic(LogLevel level, string diagnostic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} has errors; its last good version keeps serving")]
    private partial void LogKeepingLastGood(string file);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{File} could not be read yet: {Reason}")]
    private partial void LogReadRetry(string file, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "files reloaded into the store in {Milliseconds:F1} ms")]
    private partial void LogReloaded(double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "reloading files failed")]
    private partial void LogReloadFailed(Exception e);
}
