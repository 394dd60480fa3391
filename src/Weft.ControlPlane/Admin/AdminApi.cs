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

        // 503 from the moment shutdown begins, so whatever watches readiness stops sending before the
        // gateways of this process start draining (see ControlPlaneServer.BeginShutdown).
        app.MapGet("/healthz/ready", () => server.ShuttingDown ? Results.Text("shutting down", statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Text("ok"));

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

    // Apply and delete take what is valid in the body and refuse the rest, document by document: a
    // file with a Telemetry next to its Services still applies the Services, and every refused
    // document is named (file, line, code). The body is bounded in size, read once into a pooled
    // buffer and decoded from UTF-8 strictly; the number of changes decoded at once is bounded too.
    private static async Task<IResult> ChangeAsync(ControlPlaneServer server, HttpContext http, bool delete)
    {
        var limits = server.Changes.Limits;
        using var slot = await server.Changes.EnterAsync(http.RequestAborted);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Json(new JsonObject
            {
                ["error"] = $"the control plane is busy: {limits.MaxConcurrentChanges} applies or deletes are in progress; retry in a second",
            }, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var file = http.Request.Query["file"].FirstOrDefault() ?? "<stdin>";
        DecodeResult decoded;
        using (var body = await RequestBody.ReadAsync(http.Request, limits.MaxRequestBodyBytes, http.RequestAborted))
        {
            if (body.TooLarge)
            {
                // Close the connection: the rest of the body is not read.
                http.Response.Headers.Connection = "close";
                return Results.Json(new JsonObject
                {
                    ["error"] = $"{file}: the request body is larger than the API's limit of {FormatBytes(limits.MaxRequestBodyBytes)} ({limits.MaxRequestBodyBytes} bytes, the Kubernetes API server's default); split it into several files",
                    ["limitBytes"] = limits.MaxRequestBodyBytes,
                }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            decoded = YamlCodec.DecodeUtf8(body.Bytes, file);
        }

        var refused = new JsonArray();
        var notes = new JsonArray();
        foreach (var d in decoded.Diagnostics)
        {
            (d.Severity == DiagnosticSeverity.Error ? refused : notes).Add(d.ToString());
        }

        if (decoded.Resources.Count == 0 && refused.Count > 0)
        {
            return Results.Text(YamlCodec.ToJson(new JsonObject { ["diagnostics"] = refused.DeepClone(), ["refused"] = refused, ["notes"] = notes }), "application/json", statusCode: 400);
        }

        var results = new JsonArray();
        var changed = new List<ResourceKey>();
        if (delete)
        {
            foreach (var (key, deleted, hides) in server.Store.Delete(decoded.Resources.Select(r => ResourceStore.KeyOf(r.Object))))
            {
                var result = new JsonObject { ["resource"] = Describe(key), ["outcome"] = deleted ? "deleted" : "not found" };
                if (hides is not null)
                {
                    result["note"] = $"the copy in {hides.File}:{hides.Line} stays hidden until that file changes it";
                }

                results.Add(result);
            }
        }
        else
        {
            foreach (var (key, outcome, shadows) in server.Store.Apply(decoded.Resources))
            {
                var result = new JsonObject { ["resource"] = Describe(key), ["outcome"] = outcome };
                if (shadows is not null)
                {
                    result["note"] = $"it now overrides the one in {shadows.File}:{shadows.Line} until `weft delete`";
                }

                results.Add(result);
                changed.Add(key);
            }
        }

        await WaitTranslated(server, http.RequestAborted);
        return Results.Json(new JsonObject
        {
            ["results"] = results,
            ["refused"] = refused,
            ["notes"] = notes,
            ["findings"] = ChangeFindings.For(server, changed, Describe),
        });
    }

    private static string FormatBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";

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
        // Where the serving object came from: "api", "built-in" or "file PATH:LINE" (`weft get -o wide` shows it).
        var source = r.Source;
        if (node["metadata"] is JsonObject meta)
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
