using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Ir;

/// <summary>
/// The one JSON form of the IR: used on the wire, in golden files and in debug dumps. Serialization is
/// source-generated (<see cref="IrJsonContext"/>): no reflection, so the JIT-compiled `weft` and the
/// NativeAOT `weft-proxy` read and write the same bytes through the same code.
/// </summary>
public static class IrJson
{
    /// <summary>Options of the compact form (camelCase, nulls omitted, enums as strings), resolving only the IR's types.</summary>
    public static JsonSerializerOptions Options => IrJsonContext.Default.Options;

    /// <summary>The same with indentation (golden files, debug dumps).</summary>
    public static JsonSerializerOptions IndentedOptions => IrJsonContext.Indented.Options;

    public static byte[] Serialize(GatewaySnapshotIr snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(snapshot, IrJsonContext.Default.GatewaySnapshotIr);

    /// <summary>Indented JSON of an IR type (<see cref="GatewaySnapshotIr"/> or any type it contains).</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not part of the IR.</exception>
    public static string SerializeIndented<T>(T value) =>
        JsonSerializer.Serialize(value, TypeInfo<T>(IrJsonContext.Indented));

    public static GatewaySnapshotIr Deserialize(ReadOnlySpan<byte> utf8)
    {
        RejectNullElements(utf8);
        return JsonSerializer.Deserialize(utf8, IrJsonContext.Default.GatewaySnapshotIr)
            ?? throw new JsonException("the snapshot is empty");
    }

    // No IR list holds nulls (the writer leaves nulls out), but the serializer reads "[null]" into a list of
    // records, and validation and compile would meet it as a NullReferenceException, outside the NACK path
    // (found by fuzzing). One pass of the reader refuses it as malformed JSON instead.
    private static void RejectNullElements(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Span<bool> inArray = stackalloc bool[65];
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray or JsonTokenType.StartObject:
                    // Deeper than the reader's own limit (64) fails in Read before this index overflows.
                    inArray[++depth] = reader.TokenType == JsonTokenType.StartArray;
                    break;
                case JsonTokenType.EndArray or JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.Null when inArray[depth]:
                    throw new JsonException($"a list holds null at {reader.TokenStartIndex}");
            }
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>(IrJsonContext context) =>
        context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"{typeof(T)} is not an IR type: IrJson serializes only what {nameof(IrJsonContext)} declares");
}

/// <summary>
/// The IR's source-generated serializer: <see cref="GatewaySnapshotIr"/> and everything reachable from it
/// (the polymorphic <see cref="FilterIr"/> through its <see cref="JsonDerivedTypeAttribute"/>s).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    // An explicit null for a member the IR declares non-nullable ("match": null) is a JsonException, so a NACK;
    // found by fuzzing: it reached IrValidator as a NullReferenceException that no NACK path caught.
    RespectNullableAnnotations = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(GatewaySnapshotIr))]
public sealed partial class IrJsonContext : JsonSerializerContext
{
    private static IrJsonContext? s_indented;

    /// <summary>The same contract, indented.</summary>
    public static IrJsonContext Indented => s_indented ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
