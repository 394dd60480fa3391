namespace Weft.Routing;

/// <summary>A snapshot that cannot be compiled; <see cref="Errors"/> lists every problem, not only the first.</summary>
public sealed class RouteTableException : Exception
{
    public RouteTableException(IReadOnlyList<string> errors)
        : base("the route table cannot be compiled: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
