using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Weft.Api.Model;

namespace Weft.Api.Yaml;

/// <summary>
/// Strict UTF-8 for YAML files and API bodies. .NET's default decoding replaces a bad byte with U+FFFD,
/// which would silently change a name or a header value; instead the input is refused with the line,
/// column and byte offset of the first bad byte.
/// </summary>
public static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of <paramref name="bytes"/> (a UTF-8 byte-order mark is skipped), or null and a WEFT0012 error naming where it breaks.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string fileName, out Diagnostic? error)
    {
        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var body = bytes[start..];
        if (Utf8.IsValid(body))
        {
            error = null;
            return Strict.GetString(body);
        }

        error = Describe(body, start, fileName);
        return null;
    }

    // Only on the error path: walk rune by rune to the first invalid sequence, counting lines and columns.
    private static Diagnostic Describe(ReadOnlySpan<byte> body, int skipped, string fileName)
    {
        int offset = 0, line = 1, column = 1;
        while (offset < body.Length)
        {
            var status = Rune.DecodeFromUtf8(body[offset..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                break;
            }

            offset += consumed;
            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        var b = body[offset];
        var hint = skipped == 0 && offset == 0 && body.Length >= 2 && ((body[0] == 0xFF && body[1] == 0xFE) || (body[0] == 0xFE && body[1] == 0xFF))
            ? " (the file starts with a UTF-16 byte-order mark: save it as UTF-8)"
            : "";
        return new Diagnostic
        {
            Code = DiagnosticCodes.InvalidUtf8.Code,
            Severity = DiagnosticCodes.InvalidUtf8.Severity,
            Message = $"invalid UTF-8: byte 0x{b:X2} at byte offset {skipped + offset} (line {line}, column {column}){hint}; nothing in this input is read",
            Location = new SourceLocation(fileName, line, column),
        };
    }
}
