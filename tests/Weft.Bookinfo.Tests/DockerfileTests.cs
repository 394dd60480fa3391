using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Weft.Bookinfo.Tests;

/// <summary>
/// The Dockerfiles cannot be built here (no Docker engine), so check what can be checked: known instructions,
/// the two stages, a non-root user, port 9080, sources that exist, and an entry point that is the project's assembly.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly HashSet<string> Instructions =
        ["FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "EXPOSE", "ENTRYPOINT", "CMD", "ARG", "LABEL", "HEALTHCHECK", "ADD", "SHELL", "STOPSIGNAL", "VOLUME", "ONBUILD"];

    [Theory]
    [InlineData("ProductPage")]
    [InlineData("Details")]
    [InlineData("Reviews")]
    [InlineData("Ratings")]
    public void Dockerfile_is_a_two_stage_non_root_build_of_its_project(string service)
    {
        var folder = Repository.Path("samples", "bookinfo", "src", service);
        var lines = Logical(File.ReadAllText(Path.Combine(folder, "Dockerfile"))).ToList();
        Assert.All(lines, line => Assert.Contains(line.Split(' ', 2)[0].ToUpperInvariant(), Instructions));

        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0"], from);

        var runtime = lines.SkipWhile(l => l != from[1]).ToList();
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch("(?i)^USER (root|0)(:|$)", user);
        Assert.Contains("EXPOSE 9080", runtime);
        Assert.Contains(runtime, l => l.StartsWith("ENV ", StringComparison.Ordinal) && l.Contains("BIND_ADDRESS=0.0.0.0", StringComparison.Ordinal));

        // Every COPY source (outside --from) exists relative to the repository root, the build context.
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            Assert.All(parts, source => Assert.True(Path.Exists(Repository.Path(source.TrimEnd('/'))), $"{copy}: {source} is not in the repository"));
        }

        // The published project, and the dll its entry point runs.
        var project = XDocument.Load(Path.Combine(folder, service + ".csproj"));
        var assembly = project.Descendants("AssemblyName").Single().Value;
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal) && l.Contains($"samples/bookinfo/src/{service}/{service}.csproj", StringComparison.Ordinal));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", runtime[^1]);
        Assert.True(File.Exists(Path.Combine(folder, "Dockerfile.dockerignore")));
    }

    // Instructions with continuation lines joined, comments and blank lines dropped.
    private static IEnumerable<string> Logical(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.Length == 0 || line.TrimStart().StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            yield return Spaces().Replace(current + line.Trim(), " ");
            current = "";
        }
    }

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
