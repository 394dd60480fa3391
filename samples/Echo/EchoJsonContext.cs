using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Samples.Echo;

/// <summary>
/// Source-generated (reflection-free) JSON for the echo bodies. Public so that tests and runners
/// can decode responses with the same contract: <c>EchoJsonContext.Default.EchoedRequest</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EchoedRequest))]
[JsonSerializable(typeof(EchoError))]
public sealed partial class EchoJsonContext : JsonSerializerContext
{
    // Go's json.MarshalIndent(v, "", " ") indents by one space. The relaxed encoder keeps header
    // values such as '+' or '<' readable; the body is served as JSON with nosniff, never as HTML.
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>UTF-8 JSON, indented like echo-basic's echo body or compact like its error body.</summary>
    internal static byte[] ToUtf8<T>(T value, JsonTypeInfo<T> typeInfo, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
