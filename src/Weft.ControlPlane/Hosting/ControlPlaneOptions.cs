namespace Weft.ControlPlane.Hosting;

/// <summary>Host settings of the control plane. Ports follow Istio's so habits carry over.</summary>
public sealed record ControlPlaneOptions
{
    public const string DefaultControllerName = "weft.dev/gateway-controller";
    public const string DefaultGatewayClassName = "weft";

    /// <summary>Files and folders of YAML to read and watch.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Address the control plane's own ports bind on.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The distribution (gRPC) port, plaintext; 0 picks a free port.</summary>
    public int XdsPort { get; init; } = 15010;

    /// <summary>The API and debug port used by `weft get/apply/delete/version`; 0 picks a free port.</summary>
    public int AdminPort { get; init; } = 15014;

    /// <summary>Local mode: a Gateway listener on port P binds on P + offset.</summary>
    public int PortOffset { get; init; } = 8000;

    /// <summary>Local mode: the first Gateway gets this loopback address, the next one the following address.</summary>
    public string FirstGatewayAddress { get; init; } = "127.0.0.1";

    public string ControllerName { get; init; } = DefaultControllerName;

    /// <summary>
    /// The administrator credential the API and the distribution stream accept (see docs/security.md);
    /// null makes a random one for this process (tests, embedded hosts that hand it out themselves).
    /// `weft up` passes the one in ~/.weft/credential.
    /// </summary>
    public string? Credential { get; init; }

    /// <summary>At most this many proxy streams at once; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxProxyStreams { get; init; } = 1024;

    /// <summary>A stream that has not said Hello by then is closed, so idle streams cannot hold slots.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Body size and concurrency limits of `weft apply` and `weft delete`.</summary>
    public Admin.ApiLimits ApiLimits { get; init; } = new();
}
