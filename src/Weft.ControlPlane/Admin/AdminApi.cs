using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weft.Api.Model;
using Weft.Api.Yaml;
using Weft.ControlPlane.Distribution;
using Weft.ControlPlane.Hosting;
using Weft.ControlPlane.Sources.File;
using Weft.ControlPlane.Status;
using Weft.ControlPlane.Store;
using Weft.Ir;

namespace Weft.ControlPlane.Admin;

/// <summary>
/// The control plane's HTTP API on the monitoring port (15014): what `weft get`, `apply`,
/// `delete`, `version`, `x explain` and `proxy-status` talk to. JSON in Kubernetes' shapes, so the
/// CLI prints resources the way kubectl would. Reads wait (briefly) for the current store version to
/// be translated, so a `get` right after an `apply` shows the new status.
/// </summary>
public static class AdminApi
{
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder app, ControlPlaneServer server)
    {
        app.MapGet("/version", () => Results.Json(new JsonObject
        {
            ["version"] = WeftVersion.Current,
            ["storeVersion"] = server.Store.Snapshot.Version,
            ["distribution"] = server.XdsAddress.ToString(),
        }));

        app.MapGet("/healthz/ready", () => Results.Text("ok"));

        app.MapGet("/api/v1/{plural}", async (string plural, string? @namespace, HttpContext http) =>
        {
            var kind = ResourceKinds.FindByName(plural);
            if (kind is null)
            {
                return Results.Json(new JsonObject { ["error"] = $"unknown resource type \"{plural}\"; known: {string.Join(", ", ResourceKinds.All.Select(k => k.Plural))}" }, statusCode: 404);
            }

            await WaitTranslated(server, http.RequestAborted);
            var items = new JsonArray();
            foreach (var r in server.Store.View.Values
                         .Where(r => r.Kind == kind && (@namespace is null || r.Key.Namespace == @namespace))
                         .OrderBy(r => r.Key))
            {
                var node = WithStatus(r, server.Status, server.Proxies);
                if (r.Kind == ResourceKinds.Secret)
                {
                    Redaction.Secret(node.AsObject());
                }

                items.Add(node);
            }

            return Results.Json(new JsonObject { ["kind"] = kind.Kind + "List", ["items"] = items });
        });

        // HttpRequest rather than HttpContext: a lambda over HttpContext alone binds as a
        // RequestDelegate, which would drop the returned IResult.
        app.MapPost("/api/v1/apply", (HttpRequest request) => ChangeAsync(server, request.HttpContext, delete: false));
        app.MapPost("/api/v1/delete", (HttpRequest request) => ChangeAsync(server, request.HttpContext, delete: true));

        app.MapGet("/api/v1/diagnostics", async (HttpContext http) =>
        {
            await WaitTranslated(server, http.RequestAborted);
            var all = server.Files?.Diagnostics.Concat(server.Engine.Diagnostics) ?? server.Engine.Diagnostics;
            return Results.Text(YamlCodec.ToJson(all.ToList()), "application/json");
        });

        app.MapGet("/api/v1/proxies", () => Results.Text(YamlCodec.ToJson(server.Proxies.All.ToList()), "application/json"));

        app.MapGet("/api/v1/config", async (HttpContext http) =>
        {
            await WaitTranslated(server, http.RequestAborted);
            var result = new JsonObject();
            foreach (var (key, entry) in server.Cache.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var snapshot = JsonNode.Parse(entry.Json);
                Redaction.Snapshot(snapshot);
                result[key] = new JsonObject
                {
                    ["version"] = entry.Version,
                    ["snapshot"] = snapshot,
                };
            }

            return Results.Json(result);
        });
    }

    private static async Task WaitTranslated(ControlPlaneServer server, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(ReadYourWrites);
        try
        {
            await server.Engine.WaitForTranslationAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Answer with what there is rather than hang.
        }
    }

    private static async Task<IResult> ChangeAsync(ControlPlaneServer server, HttpContext http, bool delete)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        var file = http.Request.Query["file"].FirstOrDefault() ?? "<stdin>";
        var decoded = YamlCodec.Decode(text, file);
        if (decoded.HasErrors)
        {
            // Nothing is applied when any document is wrong: a partial apply is harder to reason about.
            return Results.Text(YamlCodec.ToJson(new { diagnostics = decoded.Diagnostics.Select(d => d.ToString()).ToList() }), "application/json", statusCode: 400);
        }

        var results = new JsonArray();
        if (delete)
        {
            foreach (var (key, deleted) in server.Store.Delete(decoded.Resources.Select(r => ResourceStore.KeyOf(r.Object))))
            {
                results.Add(new JsonObject { ["resource"] = Describe(key), ["outcome"] = deleted ? "deleted" : "not found" });
            }
        }
        else
        {
            foreach (var (key, outcome) in server.Store.Apply(decoded.Resources))
            {
                results.Add(new JsonObject { ["resource"] = Describe(key), ["outcome"] = outcome });
            }
        }

        // Documents Weft does not read (a Deployment) or only warns about are named, never dropped silently.
        var notes = new JsonArray();
        foreach (var d in decoded.Diagnostics)
        {
            notes.Add(d.ToString());
        }

        await WaitTranslated(server, http.RequestAborted);
        return Results.Json(new JsonObject { ["results"] = results, ["notes"] = notes });
    }

    // The translator can only say what the config means; whether the proxy could serve it (a port
    // already in use, a snapshot it rejected) is known from its NACK. Shown on Programmed so that
    // `weft get gateways` tells the truth.
    private static void ReportProxyErrors(JsonNode node, ResourceKey key, ProxyRegistry proxies)
    {
        var gateway = $"{key.Namespace}/{key.Name}";
        var failing = proxies.All.FirstOrDefault(p => p.Gateway == gateway && p.LastError is not null);
        if (failing is null || node["status"]?["conditions"] is not JsonArray conditions)
        {
            return;
        }

        foreach (var c in conditions)
        {
            if (c?["type"]?.GetValue<string>() == "Programmed")
            {
                c["status"] = "False";
                c["reason"] = "Invalid";
                c["message"] = $"proxy {failing.NodeId} reports: {failing.LastError}";
            }
        }
    }

    private static string Describe(ResourceKey key)
    {
        var kind = key.Group.Length == 0 ? key.Kind.ToLowerInvariant() : $"{key.Kind.ToLowerInvariant()}.{key.Group}";
        return key.Namespace.Length == 0 ? $"{kind}/{key.Name}" : $"{kind}/{key.Name} -n {key.Namespace}";
    }

    private static JsonNode WithStatus(StoredResource r, StatusStore status, ProxyRegistry proxies)
    {
        var node = JsonNode.Parse(YamlCodec.ToJson(r.Object, indented: false))!.AsObject();
        var source = r.Location is { Line: > 0 } loc ? $"{loc.File}:{loc.Line}" : r.Origin == ResourceStore.ApiOrigin ? "weft apply" : null;
        if (source is not null && node["metadata"] is JsonObject meta)
        {
            var annotations = meta["annotations"]?.AsObject() ?? new JsonObject();
            annotations["weft.dev/source"] = source;
            meta["annotations"] = annotations;
        }

        node.Remove("status");
        if (status.Get(r.Key) is { } s)
        {
            node["status"] = JsonNode.Parse(YamlCodec.ToJson(s, indented: false));
        }

        if (r.Kind == ResourceKinds.Gateway)
        {
            ReportProxyErrors(node, r.Key, proxies);
        }

        return node;
    }
}
