using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Weft.Ir;

namespace Weft.Routing.Tests;

/// <summary>
/// Hardening (#13, item 10): mutated snapshot JSON (structurally and byte-wise, from generated valid snapshots) is
/// either refused by the decoder with one of the exceptions the proxy turns into a NACK, or decodes into a snapshot
/// that validation answers; a snapshot validation accepts compiles, and can be looked up, without throwing.
/// </summary>
public sealed class IrJsonFuzzTests
{
    // What DistributionClient catches around decode and turns into a NACK.
    private static bool IsNack(Exception e) => e is JsonException or InvalidOperationException or ArgumentException or NotSupportedException;

    private enum Mutation { Replace, Remove, Duplicate, FlipByte, Truncate }

    private static readonly JsonNode?[] Replacements =
    [
        null, 0, -1, int.MaxValue, long.MinValue, 1e308, "", "x", "RegularExpression", "(a)\\1", "(?=a)", "[", new string('a', 10_000),
        true, new JsonArray(), new JsonObject(), "Exact", "PathPrefix", "*", "-1", "00:00:-1", "NaN",
    ];

    [Fact]
    public void Mutated_snapshots_are_refused_or_validated_never_an_unhandled_exception()
    {
        var decoded = 0;
        var valid = 0;
        Gen.Select(RouteGen.Snapshot, Gen.Select(Gen.Enum<Mutation>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[1, 4], RouteGen.Request)
            .Sample((snapshot, steps, request) =>
            {
                var json = Mutate(IrJson.Serialize(snapshot), steps);
                GatewaySnapshotIr mutated;
                try
                {
                    mutated = IrJson.Deserialize(json);
                }
                catch (Exception e) when (IsNack(e))
                {
                    return;
                }

                decoded++;
                if (mutated.Validate().Count > 0)
                {
                    return;
                }

                valid++;
                if (RouteTable.TryCompile(mutated, out var table, out _))
                {
                    foreach (var port in table.Ports)
                    {
                        _ = table.Lookup(port, request);
                    }
                }
            }, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(3000), threads: FuzzSettings.Threads);

        // Some mutations must get past the decoder and validation, or the later stages were not exercised.
        Assert.True(decoded > 100 && valid > 50, $"decoded {decoded}, valid {valid}");
    }

    private static byte[] Mutate(byte[] json, (Mutation Kind, int A, int B)[] steps)
    {
        foreach (var (kind, a, b) in steps)
        {
            switch (kind)
            {
                case Mutation.FlipByte when json.Length > 0:
                    json = [.. json];
                    json[a % json.Length] ^= (byte)(1 << (b % 8));
                    break;
                case Mutation.Truncate:
                    json = json[..(a % (json.Length + 1))];
                    break;
                default:
                    try
                    {
                        json = MutateNode(json, kind, a, b);
                    }
                    catch (Exception e) when (e is JsonException or InvalidOperationException)
                    {
                        // Already not JSON (a flipped byte, invalid UTF-8): nothing to mutate structurally.
                    }

                    break;
            }
        }

        return json;
    }

    private static byte[] MutateNode(byte[] json, Mutation kind, int a, int b)
    {
                    var root = JsonNode.Parse(json);

                    var nodes = new List<JsonNode>();
                    Walk(root, nodes);
                    var target = nodes.Count == 0 ? null : nodes[a % nodes.Count];
                    var parent = target?.Parent;
                    if (target is null || parent is null)
                    {
                        return json;
                    }

                    var replacement = kind == Mutation.Duplicate ? nodes[b % nodes.Count].DeepClone() : Replacements[b % Replacements.Length]?.DeepClone();
                    if (parent is JsonObject obj)
                    {
                        var name = target.GetPropertyName();
                        if (kind == Mutation.Remove)
                        {
                            obj.Remove(name);
                        }
                        else
                        {
                            obj[name] = replacement;
                        }
                    }
                    else if (parent is JsonArray array)
                    {
                        var index = target.GetElementIndex();
                        if (kind == Mutation.Remove)
                        {
                            array.RemoveAt(index);
                        }
                        else if (kind == Mutation.Duplicate)
                        {
                            array.Insert(index, target.DeepClone());
                        }
                        else
                        {
                            array[index] = replacement;
                        }
                    }

                    return Encoding.UTF8.GetBytes(root!.ToJsonString());
    }

    private static void Walk(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }

        nodes.Add(node);
        if (node is JsonObject obj)
        {
            foreach (var (_, child) in obj.ToList())
            {
                Walk(child, nodes);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.ToList())
            {
                Walk(child, nodes);
            }
        }
    }
}
