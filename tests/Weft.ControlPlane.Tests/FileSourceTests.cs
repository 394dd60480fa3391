using Microsoft.Extensions.Logging.Abstractions;
using Weft.Api.Model;
using Weft.ControlPlane.Sources.File;
using Weft.ControlPlane.Store;

namespace Weft.ControlPlane.Tests;

public sealed class FileSourceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-fs-" + Guid.NewGuid().ToString("n")[..8]);

    public FileSourceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: apps
        spec:
          ports:
          - port: 80
        """;

    [Fact]
    public async Task A_broken_edit_keeps_the_last_good_version_and_reports_the_file_and_line()
    {
        var file = Path.Combine(_dir, "svc.yaml");
        await File.WriteAllTextAsync(file, Service);
        var store = new ResourceStore(TimeProvider.System);
        await using var source = new FileSource([_dir], store, NullLogger<FileSource>.Instance);
        source.Start();
        Assert.Single(store.Snapshot.Services);

        // Written whole (temp file, then rename) as editors do: the watcher must not see an empty file
        // in between, which is valid YAML with no resources and would become the last good version.
        await File.WriteAllTextAsync(file + ".tmp", Service.Replace("port: 80", "port: [80", StringComparison.Ordinal));
        File.Move(file + ".tmp", file, overwrite: true);
        source.Reload();
        Assert.Single(store.Snapshot.Services);
        var error = Assert.Single(source.Diagnostics);
        Assert.Equal(DiagnosticCodes.MalformedYaml.Code, error.Code);
        Assert.Equal(file, error.Location!.File);
        Assert.True(error.Location.Line >= 7, error.ToString());

        // A deleted file takes its resources with it.
        File.Delete(file);
        source.Reload();
        Assert.Empty(store.Snapshot.Services);
        Assert.Empty(source.Diagnostics);
    }

    [Fact]
    public async Task Watcher_picks_up_a_new_file_without_an_explicit_reload()
    {
        var store = new ResourceStore(TimeProvider.System);
        await using var source = new FileSource([_dir], store, NullLogger<FileSource>.Instance);
        source.Start();
        Assert.Empty(store.Snapshot.Services);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Changed += s =>
        {
            if (!s.Services.IsEmpty)
            {
                changed.TrySetResult();
            }
        };

        await File.WriteAllTextAsync(Path.Combine(_dir, "new.yaml"), Service);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_missing_path_is_reported_not_thrown()
    {
        var store = new ResourceStore(TimeProvider.System);
        var missing = Path.Combine(_dir, "nope.yaml");
        var source = new FileSource([missing], store, NullLogger<FileSource>.Instance);
        source.Reload();
        var d = Assert.Single(source.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnreadableFile.Code, d.Code);
        Assert.Equal(missing, d.Location!.File);
    }
}
