namespace Weft.Api.Model;

/// <summary>Where a resource or a field came from: a file and a 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
