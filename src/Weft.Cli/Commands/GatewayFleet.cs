using Microsoft.Extensions.Logging;
using Weft.ControlPlane.Hosting;
using Weft.Proxy;
using Weft.Proxy.Distribution;
using Weft.Translation;

namespace Weft.Cli.Commands;

/// <summary>
/// `weft up`'s gateway proxies: one <see cref="GatewayAgent"/> per Gateway the control plane
/// programs, started when the Gateway appears and stopped when it goes. Each agent talks to the
/// control plane over the real distribution stream, exactly as a proxy in another process would.
/// </summary>
internal sealed class GatewayFleet : IAsyncDisposable
{
    private readonly ControlPlaneServer _server;
    private readonly ILoggerFactory _loggers;
    private readonly Action<string> _announce;
    private readonly Dictionary<string, GatewayAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _announced = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly GatewayProxyOptions _options;

    public GatewayFleet(ControlPlaneServer server, ILoggerFactory loggers, GatewayProxyOptions options, Action<string> announce)
    {
        _options = options;
        _server = server;
        _loggers = loggers;
        _announce = announce;
    }

    public async Task StartAsync(CancellationToken ct)
    {
        _server.Engine.Translated += result => _ = ReconcileAsync(result, CancellationToken.None);
        if (_server.Engine.Last is { } last)
        {
            await ReconcileAsync(last, ct).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(TranslationResult result, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var key in _agents.Keys.Where(k => !result.Gateways.ContainsKey(k)).ToList())
            {
                await _agents[key].DisposeAsync().ConfigureAwait(false);
                _agents.Remove(key);
                _announced.Remove(key);
                _announce($"gateway {key} removed");
            }

            foreach (var (key, ir) in result.Gateways)
            {
                if (!_agents.ContainsKey(key))
                {
                    // In this process the fleet holds the credential; each agent gets only its Gateway's token.
                    var token = Identity.ProxyTokens.Mint(_server.Credential, Identity.ProxyTokens.GatewayScope(ir.GatewayNamespace, ir.GatewayName));
                    var agent = new GatewayAgent(_server.XdsAddress, ir.GatewayNamespace, ir.GatewayName, _loggers, _options, credential: () => token);
                    agent.Applied += r => Announce(key, agent, r);
                    _agents[key] = agent;
                    agent.Start();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Prints each gateway's URLs when they change, and every port that could not be bound.
    private void Announce(string key, GatewayAgent agent, ApplyResult result)
    {
        var urls = string.Join("  ", agent.Proxy.BoundPorts.Select(p =>
            $"{(p.Protocol == Ir.ListenerProtocol.Https ? "https" : "http")}://{(p.Address == "127.0.0.1" ? "localhost" : p.Address)}:{p.Port}"));
        var line = $"gateway {key}: {(urls.Length == 0 ? "no listeners" : urls)}";
        foreach (var failure in result.BindFailures)
        {
            line += $"\n  error: {failure}";
        }

        lock (_announced)
        {
            if (_announced.TryGetValue(key, out var before) && before == line)
            {
                return;
            }

            _announced[key] = line;
        }

        _announce(line);
    }

    /// <summary>The running agents, for tests and status.</summary>
    public IReadOnlyDictionary<string, GatewayAgent> Agents => _agents;

    /// <summary>
    /// Shuts every gateway down at once, each in the standalone proxy's order
    /// (<see cref="GatewayAgent.ShutdownAsync"/>: not ready, DrainDelay, then stop accepting and drain
    /// for up to DrainTimeout), so `weft up` takes one DrainTimeout to stop, not one per Gateway.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_agents.Values.Select(a => a.ShutdownAsync())).ConfigureAwait(false);
            _agents.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }
}
