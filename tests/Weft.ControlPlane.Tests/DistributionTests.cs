using Microsoft.Extensions.Logging.Abstractions;
using Weft.ControlPlane.Hosting;
using Weft.Ir;
using Weft.Proxy.Distribution;

namespace Weft.ControlPlane.Tests;

/// <summary>The control plane and a proxy client over the real gRPC stream on loopback.</summary>
public sealed class DistributionTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-cp-" + Guid.NewGuid().ToString("n")[..8]);
    private ControlPlaneServer _server = null!;

    private static string Gateway(int port) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: default
        spec:
          gatewayClassName: weft
          listeners:
          - name: http
            protocol: HTTP
            port: {port}
        """;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "gw.yaml"), Gateway(80));
        _server = await ControlPlaneServer.StartAsync(
            new ControlPlaneOptions { Paths = [_dir], XdsPort = 0, AdminPort = 0, PortOffset = 20000 },
            NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Proxy_receives_snapshots_acks_them_and_a_rejected_version_is_recorded_as_nack()
    {
        var received = new List<(string Version, GatewaySnapshotIr Ir)>();
        var rejectNext = false;
        // The wire path a remote proxy takes.
        await using var client = RecordingClient(received, () => rejectNext ? "listener port 81: refused by test" : null, inProcess: false);
        client.Start();
        await client.FirstSnapshotApplied.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(80, received.Single().Ir.Ports.Single().Port);
        Assert.Equal(20080, received.Single().Ir.Ports.Single().BindPort);

        var firstVersion = client.ServingVersion;
        await WaitAsync(() => _server.Proxies.All.SingleOrDefault()?.AckedVersion == firstVersion, "the first ACK");
        var status = _server.Proxies.All.Single();
        Assert.Equal("default/gw", status.Gateway);
        Assert.Equal("gateway", status.Role);

        rejectNext = true;
        await File.WriteAllTextAsync(Path.Combine(_dir, "gw.yaml"), Gateway(81));
        await WaitAsync(() => _server.Proxies.All.SingleOrDefault()?.LastError is not null, "the NACK");
        status = _server.Proxies.All.Single();
        Assert.Equal("listener port 81: refused by test", status.LastError);
        Assert.NotEqual(firstVersion, status.NackedVersion);
        Assert.Equal(firstVersion, status.AckedVersion);
        Assert.Equal(firstVersion, client.ServingVersion);
    }

    [Fact]
    public async Task A_proxy_for_an_unknown_gateway_gets_an_empty_snapshot_until_the_gateway_appears()
    {
        var last = new TaskCompletionSource<GatewaySnapshotIr>(TaskCreationOptions.RunContinuationsAsynchronously);
        GatewaySnapshotIr? latest = null;
        await using var client = new DistributionClient(
            _server.XdsAddress,
            new ProxyIdentity("gateway", "default", "later"),
            (ir, _, _) =>
            {
                Volatile.Write(ref latest, ir);
                return Task.FromResult(new SnapshotOutcome(true, null));
            },
            NullLogger<DistributionClient>.Instance,
            () => _server.Credential);
        client.Start();
        await client.FirstSnapshotApplied.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(Volatile.Read(ref latest)!.Ports);

        await File.WriteAllTextAsync(Path.Combine(_dir, "later.yaml"), Gateway(90).Replace("name: gw", "name: later", StringComparison.Ordinal));
        await WaitAsync(() => Volatile.Read(ref latest)?.Ports.Length == 1, "the gateway's snapshot");
    }

    [Fact]
    public async Task A_snapshot_larger_than_grpcs_default_4_MiB_reaches_the_proxy()
    {
        // 150 routes × 16 rules with a 2 KiB header match each: an IR of about 5 MiB.
        var value = new string('v', 2048);
        var yaml = new System.Text.StringBuilder();
        for (var r = 0; r < 150; r++)
        {
            yaml.Append($"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r{r}\n  namespace: default\nspec:\n  parentRefs:\n  - name: gw\n  rules:\n");
            for (var i = 0; i < 16; i++)
            {
                yaml.Append($"  - matches:\n    - path:\n        type: PathPrefix\n        value: /r{r}/{i}\n      headers:\n      - name: x-big\n        value: {value}\n");
            }

            yaml.Append("---\n");
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "big.yaml"), yaml.ToString());
        var applied = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new DistributionClient(
            _server.XdsAddress,
            new ProxyIdentity("gateway", "default", "gw"),
            (ir, _, _) =>
            {
                var routes = ir.Ports.Sum(p => p.Listeners.Sum(l => l.VirtualHosts.Sum(h => h.Routes.Length)));
                if (routes >= 2400)
                {
                    applied.TrySetResult(routes);
                }

                return Task.FromResult(new SnapshotOutcome(true, null));
            },
            NullLogger<DistributionClient>.Instance,
            () => _server.Credential)
        {
            AcceptInProcessSnapshots = false, // the size limit is the JSON path's
        };
        client.Start();
        Assert.Equal(2400, await applied.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(_server.Cache.Get("default/gw").Json.Length > 4 * 1024 * 1024, "the snapshot is not above 4 MiB; the test would prove nothing");
    }

    [Fact]
    public async Task A_proxy_in_the_control_planes_process_shares_its_IR_and_still_acks_and_nacks()
    {
        var received = new List<(string Version, GatewaySnapshotIr Ir)>();
        var rejectNext = false;
        await using var client = RecordingClient(received, () => rejectNext ? "refused by test" : null, inProcess: true);
        client.Start();
        await client.FirstSnapshotApplied.WaitAsync(TimeSpan.FromSeconds(10));

        // The very object the control plane translated: no JSON was decoded for it.
        var first = received.Single();
        Assert.Same(_server.Cache.Get("default/gw").Ir, first.Ir);
        Assert.Equal(80, first.Ir.Ports.Single().Port);
        await WaitAsync(() => _server.Proxies.All.SingleOrDefault()?.AckedVersion == first.Version, "the ACK");

        await File.WriteAllTextAsync(Path.Combine(_dir, "gw.yaml"), Gateway(82));
        await WaitAsync(() => client.ServingVersion != first.Version, "the second snapshot");
        lock (received)
        {
            Assert.Equal(82, received[^1].Ir.Ports.Single().Port);
            Assert.Same(_server.Cache.Get("default/gw").Ir, received[^1].Ir);
        }

        rejectNext = true;
        await File.WriteAllTextAsync(Path.Combine(_dir, "gw.yaml"), Gateway(83));
        await WaitAsync(() => _server.Proxies.All.SingleOrDefault()?.LastError is not null, "the NACK");
        Assert.Equal("refused by test", _server.Proxies.All.Single().LastError);
    }

    // A proxy for default/gw that records what it is given and rejects it when `error` says so.
    private DistributionClient RecordingClient(List<(string Version, GatewaySnapshotIr Ir)> received, Func<string?> error, bool inProcess) =>
        new(
            _server.XdsAddress,
            new ProxyIdentity("gateway", "default", "gw"),
            (ir, version, _) =>
            {
                lock (received)
                {
                    received.Add((version, ir));
                }

                return Task.FromResult(error() is { } e ? new SnapshotOutcome(false, e) : new SnapshotOutcome(true, null));
            },
            NullLogger<DistributionClient>.Instance,
            () => _server.Credential)
        {
            AcceptInProcessSnapshots = inProcess,
        };

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}
