using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Runner;

/// <summary>
/// The traffic cases of expectations.json (FORMAT.md sections 6–8): eventually-consistent requests
/// compared as the Go helpers compare them, expected failures, weighted distributions, mirrors and
/// WebSockets.
/// </summary>
internal static class Traffic
{
    // After a first failure the configuration has had its chance to converge: the remaining cases of
    // the test get this much time each, so that the report names every failing case without the
    // run waiting the full consistency window again and again.
    private static readonly TimeSpan DegradedWindow = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(TestRun run, JsonObject c, int index)
    {
        var type = c.Str("type");
        var name = CaseName(c, index);
        run.Note($"case {type} {name}");
        try
        {
            switch (type)
            {
                case "http":
                    await ExpectEventuallyAsync(run, c, Window(run));
                    if (c["expected"]?["mirroredTo"] is JsonArray { Count: > 0 })
                    {
                        await ExpectMirroredAsync(run, c);
                    }

                    break;
                case "httpExpectFailure":
                    await ExpectFailureAsync(run, c);
                    break;
                case "httpWeightedDistribution":
                    await ExpectEventuallyAsync(run, c, Window(run));
                    await WeightedDistributionAsync(run, c);
                    break;
                case "httpBackendHeaderMatchesPod":
                    await ExpectEventuallyAsync(run, c, Window(run));
                    await BackendHeaderMatchesPodAsync(run, c);
                    break;
                case "httpMirrorPercentage":
                    await ExpectEventuallyAsync(run, c, Window(run));
                    await MirrorPercentageAsync(run, c);
                    break;
                case "websocket":
                    await WebSocketAsync(run, c);
                    break;
                case var grpc when GrpcTraffic.Handles(grpc):
                    await GrpcTraffic.RunAsync(run, c, Window(run));
                    break;
                default:
                    throw new ConformanceFailure(FailureStage.Runner, $"the runner does not implement {type} cases");
            }
        }
        catch (ConformanceFailure e) when (e.Stage != FailureStage.Runner)
        {
            throw new ConformanceFailure(e.Stage, $"case \"{name}\": {e.Message}");
        }
    }

    private static TimeSpan Window(TestRun run)
    {
        var full = run.Session.Timeouts["MaxTimeToConsistency"];
        return run.Degraded && full > DegradedWindow ? DegradedWindow : full;
    }

    /// <summary>The Go sub-test name when the data gives none.</summary>
    public static string CaseName(JsonObject c, int index)
    {
        if (c.Str("name") is { Length: > 0 } n)
        {
            return n;
        }

        var req = c["request"];
        var exp = c["expected"];
        var headers = req?["headers"] is JsonObject { Count: > 0 } ? " with headers" : "";
        var codes = exp.Arr("statusCodes").Select(s => s?.ToString()).ToList();
        var tail = exp.Str("backend") is { Length: > 0 } b ? $"should go to {b}" : $"should receive one of [{string.Join(" ", codes)}]";
        return $"{index} request to '{req.Str("host")}{req.Str("path")}'{headers} {tail}";
    }

    public static async Task<HttpTarget> TargetAsync(TestRun run, JsonObject c)
    {
        var t = c["target"] as JsonObject;
        var gateway = t?["gateway"] ?? run.Test.Gateway ?? throw new ConformanceFailure(FailureStage.Runner, "the case has no target Gateway");
        var port = (int)(t?.Long("port") ?? run.Test.Gateway.Long("port") ?? 80);
        var scheme = t?.Str("scheme") ?? run.Test.Gateway.Str("scheme") ?? "http";
        var address = await StatusChecks.GatewayAddressAsync(run.Session, gateway, run.Ct);
        return new HttpTarget(address, port, port + run.Session.Weft.PortOffset, scheme);
    }

    // ---- one attempt --------------------------------------------------------------------------

    /// <summary>Sends the request once and compares (7.2); null when the attempt passes.</summary>
    private static async Task<(string? Error, HttpResult? Result)> AttemptAsync(TestRun run, HttpTarget target, JsonObject c, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        HttpResult result;
        try
        {
            result = await HttpProbe.SendAsync(run.Session, target, c["request"]!, c["tls"], run.Session.Timeouts["RequestTimeout"], run.Ct, extraHeaders);
        }
        catch (HttpRequestException e)
        {
            return ($"request failed: {Inner(e)}", null);
        }

        return (Compare(c, target, result), result);
    }

    private static string Inner(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            parts.Add(x.Message);
        }

        return string.Join(" → ", parts.Distinct());
    }

    public static string? Compare(JsonObject c, HttpTarget target, HttpResult r)
    {
        var req = c["request"]!;
        var exp = c["expected"]!;
        var codes = exp.Arr("statusCodes").Select(s => (int)s.AsLong()).ToList();
        if (codes.Count == 0)
        {
            codes = [200];
        }

        if (r.Status is 408 or 504 && codes.Any(s => s is 408 or 504))
        {
            return null;
        }

        if (!codes.Contains(r.Status))
        {
            return $"expected status {string.Join(" or ", codes)}, got {r.Summary()}";
        }

        if (r.Status == 200)
        {
            var echo = r.Echo ?? new EchoedRequest("", "", req.Str("method") ?? "GET", "", new Dictionary<string, List<string>>(), "", "", null);
            var br = exp["backendRequest"];
            if (br is not null)
            {
                if (br.Str("host") is { Length: > 0 } host && host != echo.Host)
                {
                    return $"backend received Host {Q(echo.Host)}, expected {Q(host)}";
                }

                if ((br.Str("path") ?? "") != echo.Path)
                {
                    return $"backend received path {Q(echo.Path)}, expected {Q(br.Str("path"))}" + (r.Echo is null ? $" (the response is not the echo's JSON: {r.Summary()})" : "");
                }

                var method = br.Str("method") is { Length: > 0 } m ? m : "GET";
                if (method != echo.Method)
                {
                    return $"backend received method {echo.Method}, expected {method}";
                }
            }

            if ((exp.Str("namespace") ?? "") != echo.Namespace)
            {
                return $"answered from namespace {Q(echo.Namespace)}, expected {Q(exp.Str("namespace") ?? "")}" + (r.Echo is null ? $" (the response is not the echo's JSON: {r.Summary()})" : "");
            }

            foreach (var (name, value) in br.Map("headers"))
            {
                if (!echo.Headers.TryGetValue(name, out var actual))
                {
                    return $"backend did not receive header {name} (expected {Q(value)}); it received: {Headers(echo.Headers)}";
                }

                if (string.Join(",", actual) != value)
                {
                    return $"backend received {name}: {Q(string.Join(",", actual))}, expected {Q(value)}";
                }
            }

            foreach (var (name, value) in exp.Map("responseHeaders"))
            {
                if (!r.Headers.TryGetValue(name, out var actual))
                {
                    return $"response has no header {name} (expected {Q(value)}); response headers: {Headers(r.Headers)}";
                }

                if (string.Join(",", actual) != value)
                {
                    return $"response header {name}: {Q(string.Join(",", actual))}, expected {Q(value)}";
                }
            }

            foreach (var name in exp.Strings("absentResponseHeaders"))
            {
                if (r.Headers.TryGetValue(name, out var actual))
                {
                    return $"response has header {name}: {Q(string.Join(",", actual))}, expected it absent";
                }
            }

            foreach (var name in br.Strings("absentHeaders"))
            {
                if (echo.Headers.TryGetValue(name, out var actual))
                {
                    return $"backend received header {name}: {Q(string.Join(",", actual))}, expected it absent";
                }
            }

            var backend = exp.Str("backend") ?? "";
            if (!echo.Pod.StartsWith(backend, StringComparison.Ordinal))
            {
                return $"answered by pod {Q(echo.Pod)}, expected a pod of {backend}";
            }

            if (br.Str("sni") is { Length: > 0 } sni && sni != echo.TlsServerName)
            {
                return $"backend saw SNI {Q(echo.TlsServerName ?? "")}, expected {Q(sni)}";
            }
        }
        else if (r.Status is >= 300 and <= 308 && exp["redirect"] is JsonObject redirect)
        {
            if (r.Redirect is null)
            {
                return $"redirect {r.Status} without a usable Location header";
            }

            var path = (req.Str("path") ?? "/").Split('?')[0];
            var scheme = redirect.Str("scheme") ?? target.Scheme;
            var host = redirect.Str("host") ?? r.Redirect.Host;
            var wantPath = redirect.Str("path") ?? path;
            if (host != r.Redirect.Host)
            {
                return $"redirected to host {Q(r.Redirect.Host)}, expected {Q(host)} (Location {Location(r)})";
            }

            if (scheme != r.Redirect.Scheme)
            {
                return $"redirected with scheme {r.Redirect.Scheme}, expected {scheme} (Location {Location(r)})";
            }

            if (wantPath != r.Redirect.Path)
            {
                return $"redirected to path {Q(r.Redirect.Path)}, expected {Q(wantPath)} (Location {Location(r)})";
            }

            if (redirect.Str("port") is { } port)
            {
                if (port != r.Redirect.Port)
                {
                    return $"redirected to port {Q(r.Redirect.Port)}, expected {Q(port)} (Location {Location(r)})";
                }
            }
            else if (!(r.Redirect.Port.Length == 0 || (r.Redirect.Scheme == "http" && r.Redirect.Port == "80") || (r.Redirect.Scheme == "https" && r.Redirect.Port == "443")))
            {
                return $"redirected to port {r.Redirect.Port}, expected the scheme's default or none (Location {Location(r)})";
            }
        }

        return null;
    }

    private static string Location(HttpResult r) => r.Headers.TryGetValue("Location", out var l) ? Q(string.Join(",", l)) : "none";

    private static string Q(string? s) => "\"" + s + "\"";

    private static string Headers(IReadOnlyDictionary<string, List<string>> headers) =>
        string.Join(", ", headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));

    // ---- eventually consistent ---------------------------------------------------------------

    /// <summary>MakeRequestAndExpectEventuallyConsistentResponse: N consecutive passing attempts within the window.</summary>
    private static async Task ExpectEventuallyAsync(TestRun run, JsonObject c, TimeSpan window, int? required = null)
    {
        var needed = required ?? run.Session.Suite.RequiredConsecutiveSuccesses;
        var target = await TargetAsync(run, c);
        var clock = Stopwatch.StartNew();
        var successes = 0;
        var attempts = 0;
        string? last = null;
        while (true)
        {
            attempts++;
            var (error, _) = await AttemptAsync(run, target, c);
            if (error is null)
            {
                if (++successes >= needed)
                {
                    return;
                }

                continue;
            }

            successes = 0;
            last = error;
            if (clock.Elapsed + SuiteTimeouts.PollInterval > window)
            {
                break;
            }

            await Task.Delay(SuiteTimeouts.PollInterval, run.Ct);
        }

        var req = c["request"]!;
        var debug = await DebugAsync(run, target, c);
        throw new ConformanceFailure(FailureStage.Traffic,
            $"{req.Str("method") ?? "GET"} {target.Scheme}://{target.Authority}{req.Str("path")} (Host: {req.Str("host") ?? target.Authority}) not consistent within {window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s ({attempts} attempts): {last}{debug}");
    }

    // One extra request with Weft's debug header, to say which route (if any) the proxy took and its
    // response flag. Purely diagnostic: the verdict never depends on it.
    private static async Task<string> DebugAsync(TestRun run, HttpTarget target, JsonObject c)
    {
        try
        {
            var result = await HttpProbe.SendAsync(run.Session, target, c["request"]!, c["tls"], TimeSpan.FromSeconds(3), run.Ct,
                new Dictionary<string, string> { ["x-weft-debug"] = "1" });
            var parts = new List<string>();
            if (result.Headers.TryGetValue("x-weft-route", out var route))
            {
                parts.Add("route " + string.Join(",", route));
            }

            if (result.Headers.TryGetValue("x-weft-flags", out var flags))
            {
                parts.Add("flags " + string.Join(",", flags));
            }

            return parts.Count == 0 ? "" : $" [weft debug: {string.Join("; ", parts)}]";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ConformanceFailure)
        {
            return "";
        }
    }

    /// <summary>MakeRequestAndExpectFailure: 5 consecutive non-200s; a 200 fails at once; transport errors and 408/504 reset the streak.</summary>
    private static async Task ExpectFailureAsync(TestRun run, JsonObject c)
    {
        var exp = c["expected"]!;
        var needed = (int)(exp.Long("requiredConsecutiveNon200Responses") ?? 5);
        var resets = exp.Arr("timeoutStatusCodesDoNotCount").Select(s => (int)s.AsLong()).ToHashSet();
        var target = await TargetAsync(run, c);
        var window = Window(run);
        var clock = Stopwatch.StartNew();
        var streak = 0;
        var last = "";
        while (clock.Elapsed < window)
        {
            try
            {
                var r = await HttpProbe.SendAsync(run.Session, target, c["request"]!, c["tls"], run.Session.Timeouts["RequestTimeout"], run.Ct);
                if (r.Status == 200)
                {
                    throw new ConformanceFailure(FailureStage.Traffic, $"expected the request to fail, got {r.Summary()}" + (r.Echo is { } e ? $" from pod {e.Pod}" : ""));
                }

                last = r.Summary();
                if (resets.Contains(r.Status))
                {
                    streak = 0;
                    continue;
                }

                if (++streak >= needed)
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = Inner(e);
                streak = 0;
            }
        }

        throw new ConformanceFailure(FailureStage.Traffic, $"no {needed} consecutive non-200 responses within {window.TotalSeconds}s; last: {last}");
    }

    // ---- distributions -----------------------------------------------------------------------

    private static string BackendOf(string pod)
    {
        var parts = pod.Split('-');
        return parts.Length > 2 ? string.Join('-', parts[..^2]) : pod;
    }

    private static async Task WeightedDistributionAsync(TestRun run, JsonObject c)
    {
        var weights = (c["expectedWeights"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
        var dist = c["distribution"]!;
        var total = (int)(dist.Long("totalRequests") ?? 500);
        var concurrency = (int)(dist.Long("concurrency") ?? 10);
        var tolerance = dist["tolerance"]?.GetValue<double>() ?? 0.05;
        // maxAttempts (10) is scaled like the timeouts: a failing distribution costs ~20 s per attempt.
        var maxAttempts = Math.Max(2, (int)Math.Ceiling((dist.Long("maxAttempts") ?? 10) * run.Session.Timeouts.Scale));
        var target = await TargetAsync(run, c);
        string last = "";
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            string? failure = null;
            using var gate = new SemaphoreSlim(concurrency);
            var tasks = Enumerable.Range(0, total).Select(async _ =>
            {
                await gate.WaitAsync(run.Ct);
                try
                {
                    var mode = Random.Shared.Next(3);
                    Dictionary<string, string>? extra = null;
                    if (mode != 0)
                    {
                        extra = new Dictionary<string, string> { ["X-Jitter"] = Random.Shared.Next(10000).ToString(CultureInfo.InvariantCulture) };
                    }

                    if (mode != 1)
                    {
                        await Task.Delay(Random.Shared.Next(1000), run.Ct);
                    }

                    var (error, result) = await AttemptAsync(run, target, c, extra);
                    lock (counts)
                    {
                        if (error is not null)
                        {
                            failure ??= error;
                            return;
                        }

                        if (result!.Status != 200)
                        {
                            failure ??= $"status {result.Status}";
                            return;
                        }

                        var backend = BackendOf(result.Echo?.Pod ?? "");
                        if (!weights.ContainsKey(backend))
                        {
                            failure ??= $"answered by unexpected backend {backend}";
                            return;
                        }

                        counts[backend] = counts.GetValueOrDefault(backend) + 1;
                    }
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(tasks);
            var seen = string.Join(", ", weights.Keys.Select(k => $"{k} {counts.GetValueOrDefault(k)}/{total} (want {weights[k]:0.##})"));
            if (failure is not null)
            {
                last = $"attempt {attempt}: a request failed: {failure}";
                continue;
            }

            var positive = weights.Count(w => w.Value > 0);
            var off = weights.Where(w => Math.Abs(counts.GetValueOrDefault(w.Key) / (double)total - w.Value) > tolerance).ToList();
            if (counts.Count == positive && off.Count == 0)
            {
                return;
            }

            last = $"attempt {attempt}: {seen}";
        }

        throw new ConformanceFailure(FailureStage.Traffic, $"weighted distribution not within ±{tolerance} after {maxAttempts} attempts; {last}");
    }

    private static async Task BackendHeaderMatchesPodAsync(TestRun run, JsonObject c)
    {
        var header = c.Str("header") ?? "Backend";
        var iterations = (int)(c.Long("iterations") ?? 100);
        var target = await TargetAsync(run, c);
        for (var i = 0; i < iterations; i++)
        {
            HttpResult r;
            try
            {
                r = await HttpProbe.SendAsync(run.Session, target, c["request"]!, c["tls"], run.Session.Timeouts["RequestTimeout"], run.Ct);
            }
            catch (HttpRequestException e)
            {
                throw new ConformanceFailure(FailureStage.Traffic, $"request {i + 1}/{iterations} failed: {Inner(e)}");
            }

            if (r.Echo is null || !r.Echo.Headers.TryGetValue(header, out var values) || values.Count != 1)
            {
                throw new ConformanceFailure(FailureStage.Traffic, $"request {i + 1}/{iterations}: expected exactly one {header} header at the backend, got {(r.Echo is null ? r.Summary() : Headers(r.Echo.Headers))}");
            }

            if (!r.Echo.Pod.StartsWith(values[0], StringComparison.Ordinal))
            {
                throw new ConformanceFailure(FailureStage.Traffic, $"request {i + 1}/{iterations}: {header}: {values[0]} but answered by pod {r.Echo.Pod}");
            }
        }
    }

    // ---- mirrors -----------------------------------------------------------------------------

    private static DateTime TruncatedNow()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static async Task ExpectMirroredAsync(TestRun run, JsonObject c)
    {
        var since = TruncatedNow();
        var path = c["request"].Str("path") ?? "/";
        var line = $"Echoing back request made to {path} to client";
        var timeout = TimeSpan.FromSeconds(60) * run.Session.Timeouts.Scale;
        foreach (var mirror in c["expected"].Objects("mirroredTo"))
        {
            var pods = run.Session.Backends.Select(mirror.Str("namespace")!, new Dictionary<string, string> { ["app"] = mirror.Str("name")! }).ToList();
            var clock = Stopwatch.StartNew();
            while (!pods.Any(p => p.Log.Since(since).Any(l => l.Contains(line, StringComparison.Ordinal))))
            {
                if (clock.Elapsed > timeout)
                {
                    throw new ConformanceFailure(FailureStage.Traffic, $"no mirrored request for {path} reached {mirror.Str("namespace")}/{mirror.Str("name")} within {timeout.TotalSeconds}s");
                }

                await Task.Delay(100, run.Ct);
            }
        }
    }

    private static async Task MirrorPercentageAsync(TestRun run, JsonObject c)
    {
        var dist = c["mirrorDistribution"]!;
        var rounds = (int)(dist.Long("rounds") ?? 5);
        var perRound = (int)(dist.Long("requestsPerRound") ?? 500);
        var concurrency = (int)(dist.Long("concurrency") ?? 10);
        var tolerance = (dist["relativeTolerancePercent"]?.GetValue<double>() ?? 15) / 100;
        var path = c["request"].Str("path") ?? "/";
        var line = $"Echoing back request made to {path} to client";
        var last = "";
        foreach (var mirror in c["expected"].Objects("mirroredTo"))
        {
            var expected = perRound * (mirror["percent"]?.GetValue<double>() ?? 100) / 100;
            var pods = run.Session.Backends.Select(mirror.Str("namespace")!, new Dictionary<string, string> { ["app"] = mirror.Str("name")! }).ToList();
            var passed = false;
            for (var round = 1; round <= rounds && !passed; round++)
            {
                var since = TruncatedNow();
                using var gate = new SemaphoreSlim(concurrency);
                await Task.WhenAll(Enumerable.Range(0, perRound).Select(async _ =>
                {
                    await gate.WaitAsync(run.Ct);
                    try
                    {
                        await ExpectEventuallyAsync(run, c, run.Session.Timeouts["MaxTimeToConsistency"], required: 1);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                var count = pods.Sum(p => p.Log.Since(since).Count(l => l.Contains(line, StringComparison.Ordinal)));
                passed = count >= expected * (1 - tolerance) && count <= expected * (1 + tolerance);
                last = $"round {round}: {count} mirrored of {perRound}, expected {expected}±{tolerance:P0}";
                if (!passed)
                {
                    await Task.Delay(TimeSpan.FromSeconds(dist["sleepBetweenRoundsSeconds"]?.GetValue<double>() ?? 2), run.Ct);
                }
            }

            if (!passed)
            {
                throw new ConformanceFailure(FailureStage.Traffic, $"mirror percentage to {mirror.Str("name")} not within tolerance: {last}");
            }
        }
    }

    // ---- WebSocket ---------------------------------------------------------------------------

    private static async Task WebSocketAsync(TestRun run, JsonObject c)
    {
        var target = await TargetAsync(run, c);
        var path = c["request"].Str("path") ?? "/ws";
        var origin = (c["request"].Str("origin") ?? "ws://gateway/").Replace("<go test name>", run.Test.ShortName, StringComparison.Ordinal);
        var window = Window(run);
        var clock = Stopwatch.StartNew();
        var successes = 0;
        var last = "";
        while (true)
        {
            try
            {
                using var ws = new ClientWebSocket();
                ws.Options.SetRequestHeader("Origin", origin);
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(run.Ct);
                cts.CancelAfter(TimeSpan.FromSeconds(10));
                await ws.ConnectAsync(new Uri($"ws://{target.Address}:{target.BoundPort}{path}"), cts.Token);
                foreach (var exchange in c.Objects("exchanges"))
                {
                    var send = exchange["send"]!;
                    var (bytes, kind) = send["text"] is { } text
                        ? (Encoding.UTF8.GetBytes(text.ToString()), WebSocketMessageType.Text)
                        : ([.. send.Arr("binary").Select(b => (byte)b.AsLong())], WebSocketMessageType.Binary);
                    await ws.SendAsync(bytes, kind, true, cts.Token);
                    var buffer = new byte[64 * 1024];
                    var received = await ws.ReceiveAsync(buffer, cts.Token);
                    if (received.MessageType != kind || !buffer.AsSpan(0, received.Count).SequenceEqual(bytes))
                    {
                        throw new InvalidOperationException($"sent {kind} {Convert.ToHexString(bytes)}, got {received.MessageType} {Convert.ToHexString(buffer, 0, received.Count)}");
                    }
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                if (++successes >= run.Session.Suite.RequiredConsecutiveSuccesses)
                {
                    return;
                }

                continue;
            }
            catch (Exception e) when (e is WebSocketException or InvalidOperationException or OperationCanceledException && !run.Ct.IsCancellationRequested)
            {
                last = Inner(e);
                successes = 0;
            }

            if (clock.Elapsed + SuiteTimeouts.PollInterval > window)
            {
                throw new ConformanceFailure(FailureStage.Traffic, $"WebSocket ws://{target.Authority}{path} not consistent within {window.TotalSeconds}s: {last}");
            }

            await Task.Delay(SuiteTimeouts.PollInterval, run.Ct);
        }
    }
}
