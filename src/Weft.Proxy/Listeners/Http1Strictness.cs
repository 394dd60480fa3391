namespace Weft.Proxy.Listeners;

/// <summary>
/// Kestrel accepts a bare LF as a line terminator in HTTP/1.1 request and header lines unless this
/// switch is set. RFC 9112 §2.2 lets a recipient accept it, but a proxy that does and an upstream that
/// does not disagree on where a header ends — the stuff of request smuggling — so the proxy, as Envoy,
/// answers 400. Kestrel reads the switch when a server is built, so it is set here in code (before the
/// first listener), which covers `weft`, `weft proxy` and the NativeAOT `weft-proxy` alike; a value the
/// host already set (runtimeconfig, an earlier AppContext.SetSwitch) is left alone.
/// </summary>
internal static class Http1Strictness
{
    private const string DisableLineFeedTerminators = "Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators";

    public static void Apply()
    {
        if (!AppContext.TryGetSwitch(DisableLineFeedTerminators, out _))
        {
            AppContext.SetSwitch(DisableLineFeedTerminators, true);
        }
    }
}
