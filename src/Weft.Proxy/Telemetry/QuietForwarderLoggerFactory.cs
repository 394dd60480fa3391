using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weft.Proxy.Telemetry;

/// <summary>
/// The logger factory YARP's services get: the forwarder's own per-request error log (a stack trace
/// per failed request) is dropped, because <see cref="UpstreamFailureLog"/> reports the same failure
/// as one rate-limited line; every other category goes to the host's factory.
/// </summary>
internal sealed class QuietForwarderLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Yarp.ReverseProxy.Forwarder", StringComparison.Ordinal)
            ? NullLogger.Instance
            : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the inner factory.
    public void Dispose()
    {
    }
}
