using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Weft.Cli.Commands;
using Weft.Proxy.Distribution;

namespace Weft.Cli.Workloads;

/// <summary>
/// Runs a local process as a mesh workload, the way a pod with a sidecar runs on a cluster:
/// the process gets a loopback address of its own and its port; its outbound HTTP goes through a
/// sidecar proxy (HTTP_PROXY) fed by the control plane with the namespace's mesh routes; once it
/// listens, a WorkloadEntry with its labels makes it an endpoint of the Services that select them.
/// Stopping removes the endpoint first, then stops the process (SIGTERM, then kill) and the sidecar.
/// </summary>
internal sealed partial class WorkloadRunner : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly WorkloadSpec _spec;
    private readonly AdminClient _api;
    private readonly Uri _distribution;
    private readonly ILoggerFactory _loggers;
    private readonly Action<string> _output;
    private GatewayAgent? _sidecar;
    private Process? _process;
    private bool _registered;
    private volatile bool _stopping;

    /// <param name="sidecarOptions">The sidecar's settings (<see cref="Commands.ProxySettingOptions.Sidecar"/>), validated before anything starts.</param>
    public WorkloadRunner(WorkloadSpec spec, AdminClient api, Uri distribution, ILoggerFactory loggers, Action<string> output, Weft.Proxy.GatewayProxyOptions sidecarOptions)
    {
        _sidecarOptions = sidecarOptions;
        _spec = spec;
        _api = api;
        _distribution = distribution;
        _loggers = loggers;
        _output = output;
    }

    // A sidecar's outbound requests come from its own workload, which propagates the caller's
    // x-request-id: that id is trusted by default (Envoy keeps an internal request's id too).
    private readonly Weft.Proxy.GatewayProxyOptions _sidecarOptions;

    public WorkloadSpec Spec => _spec;
    public IPAddress? Address { get; private set; }
    public Uri? OutboundProxy { get; private set; }
    public Process? Process => _process;

    public async Task StartAsync(CancellationToken ct)
    {
        Address = WorkloadAddresses.Pick(_spec.Namespace, _spec.Name, _spec.Port);
        var token = Identity.ProxyTokens.ForProxy(_api.Token, Identity.ProxyTokens.SidecarScope(_spec.Namespace));
        _sidecar = new GatewayAgent(_distribution, new ProxyIdentity("sidecar", _spec.Namespace, _spec.Name) { Labels = _spec.Labels }, _loggers,
            _sidecarOptions, credential: () => token);
        _sidecar.Start();
        await _sidecar.Client.FirstSnapshotApplied.WaitAsync(TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
        var bound = _sidecar.Proxy.BoundPorts.FirstOrDefault()
            ?? throw new CliException($"the sidecar of {_spec.Namespace}/{_spec.Name} has no outbound port");
        OutboundProxy = new Uri($"http://{bound.Address}:{bound.Port}");

        var psi = new ProcessStartInfo(_spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in _spec.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in MeshEnvironment())
        {
            psi.Environment[k] = v;
        }

        foreach (var (k, v) in _spec.Environment)
        {
            psi.Environment[k] = v;
        }

        try
        {
            _process = Process.Start(psi) ?? throw new CliException($"could not start {_spec.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"could not start {_spec.FileName}: {e.Message}");
        }

        var prefix = $"[{_spec.Name}] ";
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output(prefix + e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output(prefix + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilListeningAsync(ct).ConfigureAwait(false);
        await RegisterAsync(ct).ConfigureAwait(false);

        // A process that dies leaves the mesh, as a pod that fails its readiness probe does.
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            if (!_stopping)
            {
                _output($"[{_spec.Name}] exited with code {_process.ExitCode}; removed from the mesh");
                _ = DeregisterAsync();
            }
        };
        if (_process.HasExited && !_stopping)
        {
            await DeregisterAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What a pod would be told: its identity, its address and port, and the mesh's outbound proxy.</summary>
    private Dictionary<string, string> MeshEnvironment()
    {
        var proxy = OutboundProxy!.ToString().TrimEnd('/');
        var address = Address!.ToString();
        return new Dictionary<string, string>
        {
            ["PORT"] = _spec.Port.ToString(),
            ["BIND_ADDRESS"] = address,
            ["ASPNETCORE_URLS"] = $"http://{address}:{_spec.Port}",
            ["POD_IP"] = address,
            ["POD_NAME"] = _spec.Name,
            ["HOSTNAME"] = _spec.Name,
            ["POD_NAMESPACE"] = _spec.Namespace,
            ["HTTP_PROXY"] = proxy,
            ["http_proxy"] = proxy,
            // Calls to loopback addresses stay direct; calls by Service name go through the sidecar.
            ["NO_PROXY"] = "localhost,127.0.0.1,::1",
            ["no_proxy"] = "localhost,127.0.0.1,::1",
        };
    }

    private async Task WaitUntilListeningAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new CliException($"{_spec.Name} exited with code {_process.ExitCode} before listening on {Address}:{_spec.Port}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Address!, _spec.Port, ct).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new CliException($"{_spec.Name} did not listen on {Address}:{_spec.Port} within {ReadyTimeout.TotalSeconds:0} s (it is told PORT={_spec.Port} and BIND_ADDRESS={Address})");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    private string WorkloadEntryYaml()
    {
        var labels = string.Concat(_spec.Labels.Select(l => $"\n    {l.Key}: \"{l.Value}\""));
        return $"""
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: {_spec.Name}
              namespace: {_spec.Namespace}
              labels:
                weft.dev/managed-by: weft-run
            spec:
              address: {Address}
              labels:{(labels.Length == 0 ? " {}" : labels)}
              ports:
                http: {_spec.Port}
            """;
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var (ok, body) = await _api.PostYamlAsync("api/v1/apply", WorkloadEntryYaml(), $"weft run {_spec.Name}", ct).ConfigureAwait(false);
        if (!ok)
        {
            throw new CliException($"registering {_spec.Namespace}/{_spec.Name} failed: {body}");
        }

        _registered = true;
    }

    /// <summary>Completes with the process's exit code when it exits on its own.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process!.WaitForExitAsync(ct).ConfigureAwait(false);
        return _process.ExitCode;
    }

    private async Task DeregisterAsync()
    {
        if (!_registered)
        {
            return;
        }

        _registered = false;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _api.PostYamlAsync("api/v1/delete", WorkloadEntryYaml(), $"weft run {_spec.Name}", cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CliException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
        {
            // The control plane is gone; nothing to deregister from.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;

        // The endpoint goes first, so no request is routed to a process that is stopping.
        await DeregisterAsync().ConfigureAwait(false);

        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, 15);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            _process.Dispose();
        }

        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
