using Microsoft.Extensions.Logging;

namespace Weft.Proxy;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Snapshot {Version} rejected: {Errors}")]
    public static partial void SnapshotRejected(ILogger logger, string version, string errors);

    [LoggerMessage(2, LogLevel.Information, "Serving snapshot {Version} on {PortCount} ports")]
    public static partial void SnapshotApplied(ILogger logger, string version, int portCount);

    [LoggerMessage(3, LogLevel.Warning, "Cannot bind {Address}:{Port}: {Error}")]
    public static partial void BindFailed(ILogger logger, string address, int port, string error);

    [LoggerMessage(4, LogLevel.Information, "Listening on {Address}:{Port} ({Protocol})")]
    public static partial void Listening(ILogger logger, string address, int port, Weft.Ir.ListenerProtocol protocol);

    [LoggerMessage(5, LogLevel.Information, "Stopped listening on {Address}:{Port}")]
    public static partial void Stopped(ILogger logger, string address, int port);

    [LoggerMessage(7, LogLevel.Warning, "Accepting a connection on {EndPoint} failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, System.Net.EndPoint endPoint, Exception exception);
}
