namespace Weft.Conformance.Suite;

/// <summary>
/// Where things are: the repository (the folder holding Weft.slnx) and the upstream suite's data,
/// read in place from ../shared/gateway-api/conformance next to the repository (never copied in).
/// </summary>
internal static class SuitePaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The suite's data folder; WEFT_CONFORMANCE_SUITE overrides it.</summary>
    public static string SuiteRoot { get; } = FindSuite();

    public static string Expectations => Path.Combine(SuiteRoot, "expectations.json");

    public static string DocsFolder => Path.Combine(RepoRoot, "docs", "conformance");

    public static string ReportFile => Path.Combine(DocsFolder, "report.yaml");

    public static string ResultsFile => Path.Combine(DocsFolder, "results.md");

    /// <summary>A path of the suite relative to its conformance/ folder, e.g. tests/httproute-matching.yaml.</summary>
    public static string Resolve(string relative) => Path.Combine(SuiteRoot, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>weft.dll of the same configuration as this assembly (built first through the ProjectReference).</summary>
    public static string WeftDll()
    {
        // tests/Weft.Conformance/bin/<Configuration>/net10.0 → src/Weft.Cli/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var dll = Path.Combine(RepoRoot, "src", "Weft.Cli", "bin", configuration, here.Name, "weft.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("weft.dll not found: build tests/Weft.Conformance (it builds src/Weft.Cli first)", dll);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string FindSuite()
    {
        var fromEnv = Environment.GetEnvironmentVariable("WEFT_CONFORMANCE_SUITE");
        var path = !string.IsNullOrEmpty(fromEnv)
            ? fromEnv
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "gateway-api", "conformance"));
        return File.Exists(Path.Combine(path, "expectations.json"))
            ? path
            : throw new DirectoryNotFoundException($"the conformance suite data was not found at {path} (expected expectations.json there; set WEFT_CONFORMANCE_SUITE to its folder)");
    }
}
