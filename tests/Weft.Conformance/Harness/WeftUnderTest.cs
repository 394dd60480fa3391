using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weft.Conformance.Suite;

namespace Weft.Conformance.Harness;

/// <summary>The outcome of one POST /api/v1/apply or /delete.</summary>
internal sealed record ApiChange(bool Ok, int StatusCode, IReadOnlyList<(string Resource, string Outcome)> Results, IReadOnlyList<string> Diagnostics)
{
    public string Describe() => Ok
        ? string.Join("; ", Results.Select(r => $"{r.Resource}: {r.Outcome}"))
        : $"HTTP {StatusCode}: {string.Join(" | ", Diagnostics)}";
}

/// <summary>
/// `weft up` as a child process on an empty folder, driven only through its control plane API —
/// the runner's "kube client": apply/delete YAML, list objects with their status.
/// </summary>
internal sealed partial class WeftUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly string _folder;
    private readonly HttpClient _http;

    private WeftUnderTest(Process process, string folder, string firstAddress, int portOffset)
    {
        _process = process;
        _folder = folder;
        FirstAddress = firstAddress;
        PortOffset = portOffset;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stdout.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Api { get; private set; } = null!;

    public string FirstAddress { get; }

    /// <summary>Added by Weft to every listener port (local mode); requests go to port + offset.</summary>
    public int PortOffset { get; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<WeftUnderTest> StartAsync(string firstAddress, int portOffset, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("weft-conformance-").FullName;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = SuitePaths.RepoRoot,
        };
        foreach (var a in new[]
                 {
                     SuitePaths.WeftDll(), "up", "-f", folder, "--xds-port", "0", "--admin-port", "0",
                     "--port-offset", portOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--first-address", firstAddress,
                 })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("WEFT_SERVER");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var weft = new WeftUnderTest(Process.Start(psi)!, folder, firstAddress, portOffset);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var match = ApiLine().Match(weft.Stdout);
                if (match.Success)
                {
                    weft.Api = new Uri(match.Groups[1].Value);
                    // The credential `weft up` keeps for this user (docs/security.md), as the CLI sends it.
                    weft._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Weft.Identity.LocalCredential.ReadForClient());
                    break;
                }

                if (weft.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"`weft up` did not print its control plane API line (exited: {weft.HasExited})\n--- stdout\n{weft.Stdout}\n--- stderr\n{weft.Stderr}");
                }

                await Task.Delay(50, ct);
            }

            return weft;
        }
        catch
        {
            await weft.DisposeAsync();
            throw;
        }
    }

    public Task<ApiChange> ApplyAsync(IEnumerable<JsonObject> docs, string file, CancellationToken ct) => ChangeAsync("apply", docs, file, ct);

    public Task<ApiChange> DeleteAsync(IEnumerable<JsonObject> docs, string file, CancellationToken ct) => ChangeAsync("delete", docs, file, ct);

    /// <summary>GET /api/v1/{plural}?namespace=NS: the objects with their status merged in.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string plural, string? ns, CancellationToken ct)
    {
        var url = new Uri(Api, ns is null ? $"api/v1/{plural}" : $"api/v1/{plural}?namespace={Uri.EscapeDataString(ns)}");
        using var response = await _http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url}: HTTP {(int)response.StatusCode} {body}");
        }

        return [.. (JsonNode.Parse(body)!["items"] as JsonArray ?? []).Select(i => i!.AsObject())];
    }

    /// <summary>One object (by plural, namespace, name), or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string plural, string? ns, string name, CancellationToken ct) =>
        (await ListAsync(plural, ns, ct)).FirstOrDefault(o => o["metadata"]?["name"]?.GetValue<string>() == name);

    /// <summary>GET /api/v1/config: the IR per gateway, attached to failures for debugging.</summary>
    public async Task<string> ConfigAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri(Api, "api/v1/config"), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<ApiChange> ChangeAsync(string verb, IEnumerable<JsonObject> docs, string file, CancellationToken ct)
    {
        var yaml = YamlJson.ToYaml(docs);
        using var content = new StringContent(yaml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var response = await _http.PostAsync(new Uri(Api, $"api/v1/{verb}?file={Uri.EscapeDataString(file)}"), content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var results = (json?["results"] as JsonArray ?? [])
            .Select(r => (r!["resource"]?.GetValue<string>() ?? "", r["outcome"]?.GetValue<string>() ?? ""))
            .ToList();
        var diagnostics = (json?["diagnostics"] as JsonArray ?? []).Select(d => d!.ToString()).ToList();
        if (!response.IsSuccessStatusCode && diagnostics.Count == 0)
        {
            diagnostics.Add(body);
        }

        return new ApiChange(response.IsSuccessStatusCode, (int)response.StatusCode, results, diagnostics);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"control plane API (http://[^\s]+)")]
    private static partial Regex ApiLine();
}
