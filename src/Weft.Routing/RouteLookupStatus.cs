namespace Weft.Routing;

public enum RouteLookupStatus
{
    /// <summary>No lookup was made (a default result).</summary>
    None,

    Matched,

    /// <summary>The gateway has no listener on the request's port.</summary>
    NoPort,

    /// <summary>No listener on the port accepts the request's host.</summary>
    NoListener,

    /// <summary>The listener has no virtual host for the request's host.</summary>
    NoVirtualHost,

    /// <summary>The virtual host was found but none of its routes matched.</summary>
    NoRoute,
}
