using Microsoft.Extensions.Hosting;

namespace Weft.ControlPlane.Hosting;

/// <summary>
/// The control plane runs inside a process that owns its own lifetime (`weft up`). The default
/// console lifetime would take SIGINT/SIGTERM for itself and stop only this server; this one leaves
/// signals to the owner, which stops everything in order.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
