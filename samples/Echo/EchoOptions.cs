using System.Net;
using Microsoft.Extensions.Logging;

namespace Weft.Samples.Echo;

/// <summary>
/// How an <see cref="EchoServer"/> listens and who it says it is. Nothing here is read from the
/// environment: the command line (<see cref="EchoCommandLine"/>) does that, so in-process servers
/// started by tests are not affected by the variables of the test process.
/// </summary>
public sealed record EchoOptions
{
    /// <summary>Address every listener binds to.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Main port: HTTP/1.1 and cleartext HTTP/2 (prior knowledge). 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Optional h2c-only port, like echo-basic's H2C_PORT (3001): it answers HTTP/1 requests with
    /// 400 <c>Expected h2c request</c>, which is how the conformance suite proves a Gateway really
    /// spoke HTTP/2 to an <c>appProtocol: kubernetes.io/h2c</c> backend. Null: not started.
    /// </summary>
    public int? H2cPort { get; init; }

    /// <summary>Optional TLS listener (echo-basic's HTTPS_PORT); null: not started.</summary>
    public EchoHttpsOptions? Https { get; init; }

    /// <summary>
    /// echo-basic's gRPC mode (GRPC_ECHO_SERVER): the main port serves the gRPC echo service over
    /// cleartext HTTP/2 only, the TLS port (if any) over TLS; <see cref="H2cPort"/> is not used.
    /// </summary>
    public bool Grpc { get; init; }

    /// <summary>Reported as <c>pod</c> (echo-basic: POD_NAME).</summary>
    public string Pod { get; init; } = "";

    /// <summary>Reported as <c>namespace</c> (echo-basic: NAMESPACE).</summary>
    public string Namespace { get; init; } = "";

    /// <summary>Reported as <c>service</c> (echo-basic: SERVICE_NAME).</summary>
    public string Service { get; init; } = "";

    /// <summary>Reported as <c>ingress</c> (echo-basic: INGRESS_NAME).</summary>
    public string Ingress { get; init; } = "";

    /// <summary>
    /// Where the per-request line <c>Echoing back request made to … to client (…)</c> goes.
    /// echo-basic prints it to stdout and the conformance suite reads it to detect mirrored
    /// requests; the program passes <see cref="Console.Out"/>, in-process servers default to none.
    /// </summary>
    public TextWriter? RequestLog { get; init; }

    /// <summary>Host and Kestrel logging goes to stderr from this level; quiet so many instances can run.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Clock for the <c>delay=</c> control.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
