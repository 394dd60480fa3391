using System.Collections.Immutable;

namespace Weft.Ir;

/// <summary>
/// Keeps the IR's defaults when a member is absent from the JSON. Source-generated deserialization
/// (<see cref="IrJsonContext"/>) passes default(T) to the init accessor of every member the JSON does not
/// carry, overriding the property initializer (dotnet/runtime#84484; reflection kept the initializer).
/// A default <see cref="ImmutableArray{T}"/> would throw on first use, so the IR's array members turn it
/// into an empty array, and <see cref="MatchIr.Path"/> turns null into its default. A new member whose
/// absence must mean anything but default(T) needs the same treatment (or to be nullable).
/// </summary>
internal static class IrDefaults
{
    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> value) => value.IsDefault ? [] : value;
}
