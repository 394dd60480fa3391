using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven over the Chrome DevTools Protocol: navigate, run script,
/// wait for loads, take screenshots. A real browser, no driver download: the protocol is a
/// WebSocket of JSON messages, which is all this needs.
/// </summary>
internal sealed partial class Browser : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receive;
    private int _nextId;

    private Browser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? Executable => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static async Task<Browser> LaunchAsync()
    {
        var exe = Executable ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium); .ci/run installs it");
        var profile = Path.Combine(Path.GetTempPath(), "weft-chromium-" + Guid.NewGuid().ToString("n")[..8]);
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-proxy-server", "--window-size=1280,1600", $"--user-data-dir={profile}",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var browser = new Browser(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && DevTools().Match(e.Data) is { Success: true } m)
            {
                endpoint.TrySetResult(m.Groups[1].Value);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var port = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Attach to the page Chromium opened.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        browser._receive = Task.Run(browser.ReceiveAsync);
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Runtime.enable");
        return browser;
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (reply["error"] is { } error)
        {
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        }

        return reply["result"]!;
    }

    /// <summary>Navigates and waits for the load event.</summary>
    public async Task NavigateAsync(string url)
    {
        var loaded = ArmLoad();
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await loaded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs script that causes a navigation (a form submit) and waits for the new page's load.</summary>
    public async Task EvaluateAndWaitForLoadAsync(string script)
    {
        var loaded = ArmLoad();
        await EvaluateAsync(script);
        await loaded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<JsonNode?> EvaluateAsync(string script)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = script, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } ex)
        {
            throw new InvalidOperationException($"script failed: {ex.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    public async Task<string> TextAsync() => (await EvaluateAsync("document.body.innerText"))?.GetValue<string>() ?? "";

    /// <summary>Saves a PNG screenshot of the page to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!));
    }

    private Task ArmLoad()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _loaded, tcs);
        return tcs.Task;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove((int)id, out var tcs))
                {
                    tcs.TrySetResult(node);
                }
                else if ((string?)node["method"] == "Page.loadEventFired")
                {
                    Volatile.Read(ref _loaded).TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        if (_receive is not null)
        {
            await _receive;
        }

        _socket.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(\d+)/")]
    private static partial Regex DevTools();
}
