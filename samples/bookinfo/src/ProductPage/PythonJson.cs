using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// JSON as productpage's Python <c>json.dumps</c> writes it (BOOKINFO-SPEC §1.2): <c>", "</c> and <c>": "</c>
/// separators, non-ASCII as <c>\uXXXX</c>, nothing else escaped beyond JSON's needs (so <c>&lt;</c>, <c>'</c> and
/// <c>/</c> stay as they are), keys in the order they came.
/// </summary>
internal static class PythonJson
{
    public static string Serialize(JsonElement value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary><c>{"error": "..."}</c>.</summary>
    public static string Error(string message) => "{\"error\": " + Quote(message) + "}";

    private static void Write(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    sb.Append(first ? "" : ", ").Append(Quote(property.Name)).Append(": ");
                    Write(sb, property.Value);
                    first = false;
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    sb.Append(i++ == 0 ? "" : ", ");
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                sb.Append(Quote(value.GetString()!));
                break;
            default:
                // Numbers as they came; true, false, null.
                sb.Append(value.GetRawText());
                break;
        }
    }

    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                '\b' => sb.Append("\\b"),
                '\f' => sb.Append("\\f"),
                < ' ' or > '~' => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
