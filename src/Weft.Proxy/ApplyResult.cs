namespace Weft.Proxy;

/// <summary>
/// The outcome of <see cref="GatewayProxy.ApplyAsync(Weft.Ir.GatewaySnapshotIr, string, CancellationToken)"/>.
/// Rejected (<see cref="Accepted"/> false): nothing changed, NACK with <see cref="Errors"/>. Accepted: the
/// snapshot is served on every port that is bound; <see cref="BindFailures"/> lists the ports that could not be.
/// </summary>
public sealed record ApplyResult
{
    public required bool Accepted { get; init; }

    /// <summary>The version served after the call (the previous one when rejected).</summary>
    public string? ServedVersion { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];
    public IReadOnlyList<BindFailure> BindFailures { get; init; } = [];

    /// <summary>Accepted and every port bound.</summary>
    public bool Succeeded => Accepted && BindFailures.Count == 0;

    /// <summary>One line for a NACK or a log: every error and every port that failed to bind.</summary>
    public string Describe() => Succeeded
        ? $"serving {ServedVersion}"
        : string.Join("; ", Errors.Concat(BindFailures.Select(f => f.ToString())));
}

/// <summary>A port the proxy could not bind (in use, no such address…); the others are unaffected.</summary>
public sealed record BindFailure(string Address, int Port, string Error)
{
    public override string ToString() => $"cannot bind {Address}:{Port}: {Error}";
}

/// <summary>A socket the proxy listens on. <see cref="Port"/> is the actual port (differs from the requested one only for 0).</summary>
public sealed record BoundPort(string Address, int Port, int GatewayPort, Weft.Ir.ListenerProtocol Protocol)
{
    public override string ToString() => $"{Address}:{Port}";
}
