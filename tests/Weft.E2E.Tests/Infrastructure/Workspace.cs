namespace Weft.E2E.Tests.Infrastructure;

/// <summary>A temporary folder of YAML that a test hands to `weft up` and edits while it runs.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "weft-e2e-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file atomically (write then rename), as editors do, so the watcher never reads half a file.</summary>
    public string Write(string name, string text)
    {
        var target = File(name);
        var temp = target + ".tmp~";
        System.IO.File.WriteAllText(temp, text);
        System.IO.File.Move(temp, target, overwrite: true);
        return target;
    }

    /// <summary>Copies a file of the repository's samples into the workspace.</summary>
    public string CopySample(string relative)
    {
        var source = System.IO.Path.Combine(WeftCli.RepoRoot, relative);
        return Write(System.IO.Path.GetFileName(source), System.IO.File.ReadAllText(source));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
