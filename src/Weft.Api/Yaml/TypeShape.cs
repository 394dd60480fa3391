using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Weft.Api.Yaml;

internal enum ScalarKind
{
    String,
    Bool,
    Integer,
    Number,
    IntOrString,
    Quantity,
    DateTime,
    Duration,
    Bytes,
    Enum,
    Any,
}

/// <summary>What the codec expects at one place of a resource: built once per CLR type by reflection and cached.</summary>
internal abstract class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();

    public abstract string Expected { get; }

    public static TypeShape For(Type type) => Cache.GetOrAdd(type, Build);

    private static TypeShape Build(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t == typeof(char) || t == typeof(Guid) || t == typeof(Uri))
        {
            return ScalarShape.Of(ScalarKind.String);
        }

        if (t == typeof(bool))
        {
            return ScalarShape.Of(ScalarKind.Bool);
        }

        if (t == typeof(int)) return new ScalarShape(ScalarKind.Integer, int.MinValue, int.MaxValue);
        if (t == typeof(long)) return new ScalarShape(ScalarKind.Integer, long.MinValue, long.MaxValue);
        if (t == typeof(short)) return new ScalarShape(ScalarKind.Integer, short.MinValue, short.MaxValue);
        if (t == typeof(uint)) return new ScalarShape(ScalarKind.Integer, 0, uint.MaxValue);
        if (t == typeof(ushort)) return new ScalarShape(ScalarKind.Integer, 0, ushort.MaxValue);
        if (t == typeof(byte)) return new ScalarShape(ScalarKind.Integer, 0, byte.MaxValue);
        if (t == typeof(ulong)) return new ScalarShape(ScalarKind.Integer, 0, long.MaxValue);
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return ScalarShape.Of(ScalarKind.Number);
        if (t == typeof(IntOrString)) return ScalarShape.Of(ScalarKind.IntOrString);
        if (t == typeof(ResourceQuantity)) return ScalarShape.Of(ScalarKind.Quantity);
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return ScalarShape.Of(ScalarKind.DateTime);
        if (t == typeof(TimeSpan)) return ScalarShape.Of(ScalarKind.Duration);
        if (t == typeof(byte[])) return ScalarShape.Of(ScalarKind.Bytes);
        if (t.IsEnum) return new ScalarShape(ScalarKind.Enum, 0, 0, Enum.GetNames(t));
        if (t == typeof(object) || t == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(t))
        {
            return ScalarShape.Of(ScalarKind.Any);
        }

        if (t.IsArray)
        {
            return new ListShape(t.GetElementType()!);
        }

        if (t.IsGenericType)
        {
            var def = t.GetGenericTypeDefinition();
            var args = t.GetGenericArguments();
            if (args.Length == 2 && args[0] == typeof(string)
                && (def == typeof(Dictionary<,>) || def == typeof(IDictionary<,>) || def == typeof(IReadOnlyDictionary<,>)
                    || def == typeof(SortedDictionary<,>) || def.FullName?.StartsWith("System.Collections.Immutable.Immutable", StringComparison.Ordinal) == true))
            {
                return new MapShape(args[1]);
            }

            if (args.Length == 1
                && (def == typeof(List<>) || def == typeof(IList<>) || def == typeof(IReadOnlyList<>) || def == typeof(IEnumerable<>)
                    || def == typeof(ICollection<>) || def == typeof(IReadOnlyCollection<>)
                    || def.FullName?.StartsWith("System.Collections.Immutable.Immutable", StringComparison.Ordinal) == true))
            {
                return new ListShape(args[0]);
            }
        }

        return new ObjectShape(t);
    }
}

internal sealed class ScalarShape(ScalarKind kind, decimal min = 0, decimal max = 0, string[]? names = null) : TypeShape
{
    private static readonly ConcurrentDictionary<ScalarKind, ScalarShape> Simple = new();

    public ScalarKind Kind { get; } = kind;
    public decimal Min { get; } = min;
    public decimal Max { get; } = max;
    public string[] EnumNames { get; } = names ?? [];

    public static ScalarShape Of(ScalarKind kind) => Simple.GetOrAdd(kind, k => new ScalarShape(k));

    public override string Expected => Kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Bool => "a boolean (true or false)",
        ScalarKind.Integer => "an integer",
        ScalarKind.Number => "a number",
        ScalarKind.IntOrString => "an integer or a string",
        ScalarKind.Quantity => "a quantity (e.g. 100m, 1Gi)",
        ScalarKind.DateTime => "an RFC 3339 date-time (e.g. 2024-01-02T15:04:05Z)",
        ScalarKind.Duration => "a duration",
        ScalarKind.Bytes => "base64-encoded data",
        ScalarKind.Enum => "one of " + string.Join(", ", EnumNames),
        _ => "a value",
    };
}

internal sealed class ListShape(Type elementType) : TypeShape
{
    private TypeShape? _element;
    public TypeShape Element => _element ??= For(elementType);
    public override string Expected => "a list";
}

internal sealed class MapShape(Type valueType) : TypeShape
{
    private TypeShape? _value;
    public TypeShape Value => _value ??= For(valueType);
    public override string Expected => "a mapping";
}

internal sealed record PropertyShape(string JsonName, Type Type, bool Required)
{
    private TypeShape? _shape;
    public TypeShape Shape => _shape ??= TypeShape.For(Type);
}

internal sealed class ObjectShape : TypeShape
{
    public ObjectShape(Type type)
    {
        ClrType = type;
        var isK8sModel = type.Namespace == "k8s.Models";
        var props = new Dictionary<string, PropertyShape>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.SetMethod is null || !p.SetMethod.IsPublic
                || p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
            {
                continue;
            }

            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);

            // Our records: C# `required` members. KubernetesClient's generated models: non-nullable value types are
            // the API's required fields (optional ones are generated as `int?`), plus [JsonRequired].
            var required = p.GetCustomAttribute<RequiredMemberAttribute>() is not null
                || p.GetCustomAttribute<JsonRequiredAttribute>() is not null
                || (isK8sModel && p.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.PropertyType) is null);
            props[name] = new PropertyShape(name, p.PropertyType, required);
        }

        Properties = props;
    }

    public Type ClrType { get; }
    public IReadOnlyDictionary<string, PropertyShape> Properties { get; }
    public override string Expected => "a mapping";
    public bool HasRequiredMembers => Properties.Values.Any(p => p.Required);
}
