namespace Weft.ControlPlane.Security;

/// <summary>What a request proved about its caller.</summary>
public enum CallerKind
{
    /// <summary>No credential was presented.</summary>
    Anonymous,

    /// <summary>A credential was presented and it is not one of ours.</summary>
    Invalid,

    /// <summary>The administrator credential: the API and every proxy scope.</summary>
    Admin,

    /// <summary>A proxy token: the distribution stream for its one scope, nothing else.</summary>
    Proxy,
}

/// <summary>An authenticated (or not) caller; <see cref="Scope"/> is set for proxies.</summary>
public readonly record struct Caller(CallerKind Kind, string? Scope = null)
{
    /// <summary>Whether this caller may receive the config of <paramref name="scope"/>.</summary>
    public bool MayServe(string scope) => Kind == CallerKind.Admin || (Kind == CallerKind.Proxy && Scope == scope);

    /// <summary>How the registry and logs name this caller (never the credential itself).</summary>
    public string Principal => Kind switch
    {
        CallerKind.Admin => "admin",
        CallerKind.Proxy => "proxy-token " + Scope,
        _ => "none",
    };
}
