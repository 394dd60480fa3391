using System.Text.Json.Nodes;

namespace Weft.Conformance.Runner;

/// <summary>The phase actions (FORMAT.md section 5): patches, deletes and EndpointSlice population.</summary>
internal static class Actions
{
    public static async Task RunAsync(TestRun run, JsonObject action)
    {
        var verb = action.Str("action");
        run.Note($"action {verb} {action.Str("kind")} {action.Str("namespace")}/{action.Str("name")}");
        switch (verb)
        {
            case "patch":
                await PatchAsync(run, action);
                break;
            case "delete":
                await DeleteAsync(run, action);
                break;
            case "populateEndpointSlices":
                await PopulateEndpointSlicesAsync(run, action);
                break;
            default:
                throw new ConformanceFailure(FailureStage.Runner, $"the runner does not implement the action {verb}");
        }
    }

    /// <summary>The object as read back from Weft, without what the server fills in, ready to be re-applied.</summary>
    public static JsonObject Editable(JsonObject fetched)
    {
        var obj = fetched.DeepClone().AsObject();
        obj.Remove("status");
        if (obj["metadata"] is JsonObject meta)
        {
            foreach (var field in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields" })
            {
                meta.Remove(field);
            }

            if (meta["annotations"] is JsonObject annotations)
            {
                annotations.Remove("weft.dev/source");
                if (annotations.Count == 0)
                {
                    meta.Remove("annotations");
                }
            }
        }

        return obj;
    }

    private static async Task PatchAsync(TestRun run, JsonObject action)
    {
        var kind = action.Str("kind")!;
        var ns = action.Str("namespace");
        var name = action.Str("name")!;
        var fetched = await StatusChecks.FetchAsync(run.Session, kind, ns, name, run.Ct)
                      ?? throw new ConformanceFailure(FailureStage.Status, $"patch: {kind} {ns}/{name} does not exist");
        var obj = Editable(fetched);
        foreach (var (path, value) in action["set"] as JsonObject ?? [])
        {
            Json.Set(obj, path, value?.DeepClone());
        }

        foreach (var (path, element) in action["append"] as JsonObject ?? [])
        {
            if (Json.Get(obj, path) is not JsonArray list)
            {
                list = [];
                Json.Set(obj, path, list);
            }

            list.Add(element?.DeepClone());
        }

        foreach (var (path, filter) in action["keepWhere"] as JsonObject ?? [])
        {
            Filter(obj, path, e => filter!.AsObject().All(f => e?[f.Key]?.ToString() == f.Value?.ToString()));
        }

        foreach (var (path, rule) in action["removeWhere"] as JsonObject ?? [])
        {
            var index = (int)(rule.Long("valueEqualsOriginalIndex") ?? throw new ConformanceFailure(FailureStage.Runner, "removeWhere: unknown rule " + rule?.ToJsonString()));
            var original = run.AppliedAtStart(kind, ns, name) ?? throw new ConformanceFailure(FailureStage.Runner, $"removeWhere: {kind} {ns}/{name} was not applied by the test");
            var value = (Json.Get(original, path) as JsonArray)?[index]?.Str("value");
            Filter(obj, path, e => e.Str("value") != value);
        }

        var result = await run.Session.Weft.ApplyAsync([obj], $"<patch {kind} {ns}/{name}>", run.Ct);
        if (!result.Ok)
        {
            throw new ConformanceFailure(FailureStage.Apply, $"patching {kind} {ns}/{name} was refused: {result.Describe()}");
        }

        run.Applied.Add(obj);
    }

    private static void Filter(JsonObject obj, string path, Func<JsonNode?, bool> keep)
    {
        if (Json.Get(obj, path) is not JsonArray list)
        {
            return;
        }

        var kept = new JsonArray([.. list.Where(keep).Select(e => e?.DeepClone())]);
        Json.Set(obj, path, kept);
    }

    private static async Task DeleteAsync(TestRun run, JsonObject action)
    {
        var meta = new JsonObject { ["name"] = action.Str("name") };
        if (action.Str("namespace") is { } ns)
        {
            meta["namespace"] = ns;
        }

        // Weft's delete decodes the document strictly, so send the object as applied when we have it.
        var doc = run.Original(action.Str("kind")!, action.Str("namespace"), action.Str("name")!)
                  ?? new JsonObject { ["apiVersion"] = action.Str("apiVersion"), ["kind"] = action.Str("kind"), ["metadata"] = meta };
        var result = await run.Session.Weft.DeleteAsync([doc], "<delete action>", run.Ct);
        if (!result.Ok)
        {
            throw new ConformanceFailure(FailureStage.Apply, $"deleting {action.Str("kind")} {action.Str("namespace")}/{action.Str("name")} was refused: {result.Describe()}");
        }
    }

    private static async Task PopulateEndpointSlicesAsync(TestRun run, JsonObject action)
    {
        var ns = action.Str("namespace")!;
        var selector = action["podsFromDeploymentSelector"]!;
        var pods = run.Session.Backends.PodsOf(selector.Str("namespace")!, selector.Str("name")!).ToList();
        if (pods.Count == 0)
        {
            throw new ConformanceFailure(FailureStage.Runner, $"no pods for Deployment {selector.Str("namespace")}/{selector.Str("name")}");
        }

        foreach (var sliceName in action.Strings("endpointSlices"))
        {
            var fetched = await StatusChecks.FetchAsync(run.Session, "EndpointSlice", ns, sliceName, run.Ct)
                          ?? throw new ConformanceFailure(FailureStage.Status, $"EndpointSlice {ns}/{sliceName} does not exist");
            var family = fetched.Str("addressType") == "IPv6" ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork;
            var matching = pods.Where(p => System.Net.IPAddress.Parse(p.Ip).AddressFamily == family).ToList();
            if (matching.Count == 0)
            {
                continue; // a slice whose family has no Pod IPs is left unpatched
            }

            var slice = Editable(fetched);
            slice["endpoints"] = new JsonArray([.. matching.Select(p => (JsonNode)new JsonObject
            {
                ["addresses"] = new JsonArray(p.Ip),
                ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = p.Name, ["namespace"] = p.Namespace },
            })]);
            var result = await run.Session.Weft.ApplyAsync([slice], $"<populate {ns}/{sliceName}>", run.Ct);
            if (!result.Ok)
            {
                throw new ConformanceFailure(FailureStage.Apply, $"populating EndpointSlice {ns}/{sliceName} was refused: {result.Describe()}");
            }

            run.Applied.Add(slice);
        }
    }
}
