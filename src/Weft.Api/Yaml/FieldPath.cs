namespace Weft.Api.Yaml;

/// <summary>Field paths as diagnostics show them: <c>spec.listeners[0].port</c>, <c>metadata.labels["app.kubernetes.io/name"]</c>.</summary>
public static class FieldPath
{
    public static string Child(string parent, string name)
    {
        if (!IsIdentifier(name))
        {
            return $"{parent}[\"{name}\"]";
        }

        return parent.Length == 0 ? name : parent + "." + name;
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path one level up ("spec.listeners[0].port" → "spec.listeners[0]" → "spec.listeners" → "spec" → "").</summary>
    public static string Parent(string path)
    {
        if (path.Length == 0)
        {
            return "";
        }

        if (path.EndsWith("\"]", StringComparison.Ordinal))
        {
            var quoted = path.LastIndexOf("[\"", StringComparison.Ordinal);
            return quoted < 0 ? "" : path[..quoted];
        }

        if (path[^1] == ']')
        {
            return path[..path.LastIndexOf('[')];
        }

        var dot = path.LastIndexOf('.');
        var bracket = path.LastIndexOf(']');
        return dot > bracket ? path[..dot] : bracket >= 0 ? path[..(bracket + 1)] : "";
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}
