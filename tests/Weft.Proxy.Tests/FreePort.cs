using System.Net;
using System.Net.Sockets;

namespace Weft.Proxy.Tests;

internal static class FreePort
{
    /// <summary>A port that was free a moment ago (bind 0, read, release). Snapshots need a concrete BindPort.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
