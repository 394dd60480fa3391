using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Weft.Conformance.Suite;
using Weft.Samples.Echo.Grpc;

namespace Weft.Conformance.Runner;

/// <summary>
/// The gRPC traffic cases (FORMAT.md 6.5 and 6.2): echo-basic's GrpcEcho service called over h2c
/// (plaintext HTTP/2 with prior knowledge) at the Gateway's address, compared as Go's
/// grpc.MakeRequestAndExpectEventuallyConsistentResponse and weight.TestWeightedDistribution do.
/// </summary>
internal static class GrpcTraffic
{
    private const string Service = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

    public static bool Handles(string? type) => type is "grpc" or "grpcWeightedDistribution";

    public static async Task RunAsync(TestRun run, JsonObject c, TimeSpan window)
    {
        var target = await Traffic.TargetAsync(run, c);
        await ExpectEventuallyAsync(run, target, c, window);
        if (c.Str("type") == "grpcWeightedDistribution")
        {
            await WeightedDistributionAsync(run, target, c);
        }
    }

    /// <summary>One call's outcome: the status, and the response when it is OK.</summary>
    internal sealed record GrpcResult(StatusCode Code, string Detail, EchoResponse? Response);

    /// <summary>A channel to the Gateway whose calls carry the case's <c>:authority</c>.</summary>
    private sealed class GatewayChannel : IDisposable
    {
        private readonly GrpcChannel _channel;

        public GatewayChannel(HttpTarget target, string authority)
        {
            var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
            _channel = GrpcChannel.ForAddress($"http://{target.Address}:{target.BoundPort}", new GrpcChannelOptions
            {
                HttpHandler = new AuthorityHandler(authority) { InnerHandler = handler },
                DisposeHttpClient = true,
            });
            Client = new GrpcEcho.GrpcEchoClient(_channel);
        }

        public GrpcEcho.GrpcEchoClient Client { get; }

        public void Dispose() => _channel.Dispose();
    }

    /// <summary>grpc-go's authority override: on HTTP/2 the Host header becomes <c>:authority</c>.</summary>
    private sealed class AuthorityHandler(string authority) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The authority Go's client sends: the case's, else the dialled "ip:port" (the Gateway's port, as for HTTP).</summary>
    private static string Authority(HttpTarget target, JsonObject c) =>
        c["request"].Str("authority") is { Length: > 0 } a ? a : $"{target.Address}:{target.GatewayPort}";

    private static async Task<GrpcResult> CallAsync(GatewayChannel channel, JsonObject c, TimeSpan timeout, CancellationToken ct, string? jitter = null)
    {
        var req = c["request"]!;
        var metadata = new Metadata();
        foreach (var (name, value) in req.Map("metadata"))
        {
            // grpc-go lower-cases metadata keys on the wire.
            metadata.Add(name.ToLowerInvariant(), value);
        }

        if (jitter is not null)
        {
            metadata.Add("x-jitter", jitter);
        }

        var options = new CallOptions(metadata, DateTime.UtcNow + timeout, ct);
        try
        {
            var response = req.Str("rpc") switch
            {
                "Echo" => await channel.Client.EchoAsync(new EchoRequest(), options),
                "EchoTwo" => await channel.Client.EchoTwoAsync(new EchoRequest(), options),
                "EchoThree" => await channel.Client.EchoThreeAsync(new EchoRequest(), options),
                var other => throw new ConformanceFailure(FailureStage.Runner, $"unknown rpc {other}"),
            };
            return new GrpcResult(StatusCode.OK, "", response);
        }
        catch (RpcException e)
        {
            return new GrpcResult(e.StatusCode, e.Status.Detail, null);
        }
    }

    /// <summary>FORMAT.md 6.5: the code must be the expected one; when OK, the method, namespace and pod must match.</summary>
    internal static string? Compare(JsonObject c, GrpcResult r)
    {
        var exp = c["expected"]!;
        var want = ParseCode(exp.Str("grpcCode") ?? "OK");
        if (r.Code != want)
        {
            return $"expected gRPC status {exp.Str("grpcCode")}, got {CodeName(r.Code)}" + (r.Detail.Length > 0 ? $" ({r.Detail})" : "");
        }

        if (r.Code != StatusCode.OK)
        {
            return null;
        }

        var assertions = r.Response?.Assertions;
        if (assertions is null)
        {
            return "the response carries no assertions";
        }

        var method = $"/{Service}/{c["request"].Str("rpc")}";
        if (assertions.FullyQualifiedMethod != method)
        {
            return $"backend saw method \"{assertions.FullyQualifiedMethod}\", expected \"{method}\"";
        }

        if (exp.Str("namespace") is { } ns && assertions.Context?.Namespace != ns)
        {
            return $"answered from namespace \"{assertions.Context?.Namespace}\", expected \"{ns}\"";
        }

        if (exp.Str("backend") is { } backend && !(assertions.Context?.Pod ?? "").StartsWith(backend, StringComparison.Ordinal))
        {
            return $"answered by pod \"{assertions.Context?.Pod}\", expected a pod of {backend}";
        }

        return null;
    }

    private static StatusCode ParseCode(string name) =>
        Enum.TryParse<StatusCode>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var code)
            ? code
            : throw new ConformanceFailure(FailureStage.Runner, $"unknown gRPC code {name}");

    private static string CodeName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.DataLoss => "DATA_LOSS",
        _ => code.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// 3 consecutive passing calls within the window; the connection is reused across attempts and
    /// re-created after an INTERNAL error; each call's deadline is what is left of the window.
    /// </summary>
    private static async Task ExpectEventuallyAsync(TestRun run, HttpTarget target, JsonObject c, TimeSpan window)
    {
        var needed = run.Session.Suite.RequiredConsecutiveSuccesses;
        var authority = Authority(target, c);
        var clock = Stopwatch.StartNew();
        var channel = new GatewayChannel(target, authority);
        try
        {
            var successes = 0;
            var attempts = 0;
            string? last = null;
            while (true)
            {
                attempts++;
                var left = window - clock.Elapsed;
                var result = await CallAsync(channel, c, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), run.Ct);
                var error = Compare(c, result);
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
                if (result.Code == StatusCode.Internal)
                {
                    channel.Dispose();
                    channel = new GatewayChannel(target, authority);
                }

                if (clock.Elapsed + SuiteTimeouts.PollInterval > window)
                {
                    break;
                }

                await Task.Delay(SuiteTimeouts.PollInterval, run.Ct);
            }

            throw new ConformanceFailure(FailureStage.Traffic,
                $"gRPC {c["request"].Str("rpc")} to {target.Address}:{target.BoundPort} (:authority {authority}) not consistent within {window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s ({attempts} attempts): {last}");
        }
        finally
        {
            channel.Dispose();
        }
    }

    /// <summary>weight.TestWeightedDistribution for gRPC: a new connection per call, code OK, backends by pod name.</summary>
    private static async Task WeightedDistributionAsync(TestRun run, HttpTarget target, JsonObject c)
    {
        var weights = (c["expectedWeights"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
        var dist = c["distribution"]!;
        var total = (int)(dist.Long("totalRequests") ?? 500);
        var concurrency = (int)(dist.Long("concurrency") ?? 10);
        var tolerance = dist["tolerance"]?.GetValue<double>() ?? 0.05;
        var perRpc = TimeSpan.FromSeconds(dist.Long("perRpcTimeoutSeconds") ?? 30);
        // maxAttempts is scaled like the timeouts (as for HTTPRouteWeight), at least 2.
        var maxAttempts = Math.Max(2, (int)Math.Ceiling((dist.Long("maxAttempts") ?? 10) * run.Session.Timeouts.Scale));
        var authority = Authority(target, c);
        var last = "";
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
                    // Go's entropy: a random delay, an x-jitter metadata value, or both.
                    var mode = Random.Shared.Next(3);
                    var jitter = mode != 0 ? Random.Shared.Next(10000).ToString(CultureInfo.InvariantCulture) : null;
                    if (mode != 1)
                    {
                        await Task.Delay(Random.Shared.Next(1000), run.Ct);
                    }

                    using var channel = new GatewayChannel(target, authority);
                    var result = await CallAsync(channel, c, perRpc, run.Ct, jitter);
                    var error = Compare(c, result);
                    lock (counts)
                    {
                        if (error is not null)
                        {
                            failure ??= error;
                            return;
                        }

                        var pod = result.Response!.Assertions.Context?.Pod ?? "";
                        var parts = pod.Split('-');
                        var backend = parts.Length > 2 ? string.Join('-', parts[..^2]) : pod;
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
            if (failure is not null)
            {
                last = $"attempt {attempt}: a call failed: {failure}";
                continue;
            }

            var positive = weights.Count(w => w.Value > 0);
            var off = weights.Where(w => Math.Abs(counts.GetValueOrDefault(w.Key) / (double)total - w.Value) > tolerance).ToList();
            if (counts.Count == positive && off.Count == 0)
            {
                return;
            }

            last = $"attempt {attempt}: " + string.Join(", ", weights.Keys.Select(k => $"{k} {counts.GetValueOrDefault(k)}/{total} (want {weights[k]:0.##})"));
        }

        throw new ConformanceFailure(FailureStage.Traffic, $"weighted distribution not within ±{tolerance} after {maxAttempts} attempts; {last}");
    }
}
