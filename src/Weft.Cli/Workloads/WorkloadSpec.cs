namespace Weft.Cli.Workloads;

/// <summary>A local process that joins the mesh as a workload: who it is and how to start it.</summary>
internal sealed record WorkloadSpec
{
    public required string Name { get; init; }
    public string Namespace { get; init; } = "default";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The port the process listens on (as its pod's container would).</summary>
    public required int Port { get; init; }

    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }
}
