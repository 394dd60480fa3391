using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weft.Ir;

/// <summary>The one JSON form of the IR: used on the wire, in golden files and in debug dumps.</summary>
public static class IrJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);
    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    public static byte[] Serialize(GatewaySnapshotIr snapshot) => JsonSerializer.SerializeToUtf8Bytes(snapshot, Options);

    public static string SerializeIndented<T>(T value) => JsonSerializer.Serialize(value, IndentedOptions);

    public static GatewaySnapshotIr Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<GatewaySnapshotIr>(utf8, Options)
        ?? throw new JsonException("the snapshot is empty");

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
