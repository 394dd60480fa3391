using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Weft.Cli.Workloads;

/// <summary>
/// Each local workload gets a loopback address of its own in 127.1.0.0/16, as each pod has its own
/// IP: three versions of reviews can all listen on 9080, and a Service's numeric targetPort works
/// unchanged. The address is derived from namespace/name (stable across restarts) and moved on if
/// something already listens there.
/// </summary>
internal static class WorkloadAddresses
{
    public static IPAddress Pick(string ns, string name, int port)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ns}/{name}"));
        var start = (hash[0] << 8 | hash[1]) % 65000;
        for (var i = 0; i < 256; i++)
        {
            var n = (start + i) % 65000 + 256;
            var address = new IPAddress([127, 1, (byte)(n >> 8), (byte)(n & 0xff)]);
            if (IsFree(address, port))
            {
                return address;
            }
        }

        throw new InvalidOperationException($"no free loopback address for {ns}/{name} on port {port}");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
