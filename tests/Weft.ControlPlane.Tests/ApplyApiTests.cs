using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.ControlPlane.Admin;
using Weft.ControlPlane.Hosting;

namespace Weft.ControlPlane.Tests;

/// <summary>`/api/v1/apply` and `/delete` of a real control plane: limits, UTF-8, partial applies, files vs API objects.</summary>
[Collection(MemoryMeasuring.Name)]
public sealed class ApplyApiTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-apply-" + Guid.NewGuid().ToString("n")[..8]);
    private ControlPlaneServer _server = null!;
    private HttpClient _http = null!;

    private static string Service(string name) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: default
        spec:
          ports:
          - port: 80

        """;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "files.yaml"), Service("from-file"));
        _server = await ControlPlaneServer.StartAsync(
            new ControlPlaneOptions { Paths = [_dir], XdsPort = 0, AdminPort = 0, PortOffset = 20000, ApiLimits = new ApiLimits { MaxConcurrentChanges = 2, QueueWait = TimeSpan.FromMilliseconds(200) } },
            NullLoggerFactory.Instance);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _server.AdminAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.Credential);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, HttpContent content)
    {
        using var response = await _http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!);
    }

    private Task<(HttpStatusCode Status, JsonNode Body)> ApplyAsync(string yaml, string file = "test.yaml", string verb = "apply") =>
        PostAsync($"api/v1/{verb}?file={file}", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    private async Task<JsonArray> ServicesAsync() => (JsonArray)JsonNode.Parse(await _http.GetStringAsync("api/v1/services"))!["items"]!;

    private async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(20, deadline.Token).ContinueWith(t => deadline.IsCancellationRequested
                ? throw new TimeoutException($"timed out waiting for {what}")
                : t, TaskScheduler.Default).Unwrap();
        }
    }

    private static string ConfigMap(int dataBytes) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n  blob: " + new string('x', dataBytes) + "\n";

    [Fact]
    public async Task A_25_MB_body_gets_413_naming_the_limit_quickly_and_the_heap_does_not_grow()
    {
        var body = Encoding.UTF8.GetBytes(ConfigMap(25 * 1024 * 1024));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/apply?file=big.yaml") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("3 MiB", (string?)json["error"]);
        Assert.Equal(3 * 1024 * 1024, (long)json["limitBytes"]!);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));

        // The body itself is 25 MB of this test's own; the server's share must be small.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 40L * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while refusing a 25 MB body");
        GC.KeepAlive(body);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 16L * 1024 * 1024, $"the heap grew by {(after - before) / (1024 * 1024)} MB");
        Assert.Empty(_server.Store.Snapshot.ConfigMaps);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_while_reading()
    {
        var bytes = Encoding.UTF8.GetBytes(ConfigMap(25 * 1024 * 1024));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var content = new StreamContent(new ChunkedYaml(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        HttpStatusCode? status = null;
        try
        {
            using var response = await _http.PostAsync("api/v1/apply?file=big.yaml", content);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending; what matters is
            // that nothing was applied and the server did not buffer the body.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"status {status}");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 80L * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while refusing a chunked 25 MB body");
        Assert.Empty(_server.Store.Snapshot.ConfigMaps);
        var small = await ApplyAsync(Service("after-big"));
        Assert.Equal(HttpStatusCode.OK, small.Status);
    }

    [Fact]
    public async Task Changes_beyond_the_concurrency_limit_get_429_with_retry_after_and_the_others_complete()
    {
        // Two applies whose bodies are held open take both slots.
        var held = Enumerable.Range(0, 2).Select(_ => new HeldBody(Encoding.UTF8.GetBytes(Service("held")))).ToList();
        // Expect: 100-continue makes the client send the headers at once and the body when asked.
        var pending = held.Select(h => _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/v1/apply?file=held.yaml")
        {
            Content = new StreamContent(h) { Headers = { ContentType = new MediaTypeHeaderValue("application/yaml") } },
            Headers = { ExpectContinue = true },
        })).ToList();
        await WaitForAsync(() => Task.FromResult(_server.Changes.InUse == 2), "both slots to be taken");

        using var third = await _http.PostAsync("api/v1/apply?file=third.yaml", new StringContent(Service("third"), Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
        Assert.Contains("busy", await third.Content.ReadAsStringAsync());

        foreach (var h in held)
        {
            h.Release();
        }

        foreach (var p in pending)
        {
            using var response = await p;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, _server.Changes.InUse);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_body_is_refused_with_line_and_byte_offset()
    {
        var broken = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Service\nmetadata:\n  name: caf").Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        var (status, body) = await PostAsync("api/v1/apply?file=latin1.yaml", new ByteArrayContent(broken) { Headers = { ContentType = new MediaTypeHeaderValue("application/yaml") } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = (string)body["refused"]![0]!;
        Assert.Contains("latin1.yaml:4:", error);
        Assert.Contains("WEFT0012", error);
        Assert.Contains("byte 0xC3 at byte offset 50 (line 4, column 12)", error);
        Assert.DoesNotContain(await ServicesAsync(), s => ((string)s!["metadata"]!["name"]!).StartsWith("caf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_apply_takes_the_valid_documents_and_names_each_refused_one_with_line_and_code()
    {
        var (status, body) = await ApplyAsync(Service("web") + """
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: mesh-default
              namespace: istio-system
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-all
              namespace: default
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: broken
            spec:
              ports:
              - port: eighty
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            """, "mixed.yaml");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("service/web -n default", (string?)Assert.Single(body["results"]!.AsArray())!["resource"]);
        var refused = body["refused"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, r => r.StartsWith("mixed.yaml:28:", StringComparison.Ordinal) && r.Contains("WEFT0004") && r.Contains("spec.ports[0].port"));
        Assert.Contains(refused, r => r.StartsWith("mixed.yaml:31:", StringComparison.Ordinal) && r.Contains("WEFT0002"));
        var notes = body["notes"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Contains(notes, n => n.Contains("WEFT0014") && n.Contains("telemetry settings") && n.Contains("ignored"));
        Assert.Contains(notes, n => n.Contains("WEFT0013") && n.Contains("NOT enforced") && !n.Contains("HTTPRoute"));
        Assert.Contains(await ServicesAsync(), s => (string?)s!["metadata"]!["name"] == "web");
    }

    [Fact]
    public async Task An_apply_reports_translator_findings_and_failing_conditions_of_what_it_applied()
    {
        var (status, body) = await ApplyAsync("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: orphan
              namespace: default
            spec:
              gatewayClassName: nope
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: lost
              namespace: default
            spec:
              parentRefs:
              - name: missing-gw
              rules:
              - backendRefs:
                - name: missing-svc
                  port: 80
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var findings = body["findings"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Contains(findings, f => f.StartsWith("gateway.gateway.networking.k8s.io/orphan -n default: warning WEFT0100", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("httproute.gateway.networking.k8s.io/lost -n default (parents[missing-gw]): Accepted=False", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_api_delete_hides_a_file_object_only_until_its_file_changes_it()
    {
        var (_, applied) = await ApplyAsync(Service("from-file"));
        Assert.Contains("files.yaml:1", (string?)applied["results"]![0]!["note"]);
        Assert.Equal("api", Source(await ServicesAsync(), "from-file"));

        var (_, deleted) = await ApplyAsync(Service("from-file"), verb: "delete");
        Assert.Equal("deleted", (string?)deleted["results"]![0]!["outcome"]);
        Assert.DoesNotContain(await ServicesAsync(), s => (string?)s!["metadata"]!["name"] == "from-file");

        // Another file changing does not bring it back.
        await File.WriteAllTextAsync(Path.Combine(_dir, "other.yaml"), Service("other"));
        await WaitForAsync(async () => (await ServicesAsync()).Any(s => (string?)s!["metadata"]!["name"] == "other"), "other.yaml to be read");
        Assert.DoesNotContain(await ServicesAsync(), s => (string?)s!["metadata"]!["name"] == "from-file");

        // A new version of it in its file re-asserts it.
        await File.WriteAllTextAsync(Path.Combine(_dir, "files.yaml"), Service("from-file").Replace("port: 80", "port: 81", StringComparison.Ordinal));
        await WaitForAsync(async () => Source(await ServicesAsync(), "from-file") is { } s && s.StartsWith("file ", StringComparison.Ordinal), "the edited file object to serve");
        Assert.EndsWith("files.yaml:1", Source(await ServicesAsync(), "from-file"));
    }

    [Fact]
    public async Task An_object_deleted_through_the_api_serves_when_written_into_a_watched_file()
    {
        await ApplyAsync(Service("api-only"));
        await ApplyAsync(Service("api-only"), verb: "delete");
        Assert.DoesNotContain(await ServicesAsync(), s => (string?)s!["metadata"]!["name"] == "api-only");

        await File.WriteAllTextAsync(Path.Combine(_dir, "later.yaml"), Service("api-only"));
        await WaitForAsync(async () => Source(await ServicesAsync(), "api-only") is { } s && s.StartsWith("file ", StringComparison.Ordinal), "the file object to serve");
    }

    [Fact]
    public async Task A_file_that_gains_a_kind_not_served_yet_still_serves_its_other_documents()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "files.yaml"), Service("from-file") + """
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: mesh-default
              namespace: istio-system
            ---

            """ + Service("second"));
        await WaitForAsync(async () => (await ServicesAsync()).Any(s => (string?)s!["metadata"]!["name"] == "second"), "the second Service of the edited file");
    }

    private static string? Source(JsonArray items, string name) =>
        (string?)items.FirstOrDefault(s => (string?)s!["metadata"]!["name"] == name)?["metadata"]?["annotations"]?["weft.dev/source"];

    /// <summary>A body sent in small chunks with no Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedYaml(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 64 * 1024));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 64 * 1024), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellationToken);
    }

    /// <summary>A body whose first byte is sent at once and the rest only after <see cref="Release"/>.</summary>
    private sealed class HeldBody(byte[] bytes) : Stream
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public void Release() => _released.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= bytes.Length)
            {
                return 0;
            }

            if (_position > 0)
            {
                await _released.Task.WaitAsync(cancellationToken);
            }

            var n = _position == 0 ? 1 : Math.Min(buffer.Length, bytes.Length - _position);
            bytes.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Tests that measure the process's allocations run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuring
{
    public const string Name = "memory";
}
