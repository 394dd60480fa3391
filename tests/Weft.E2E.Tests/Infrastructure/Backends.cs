using System.Text;
using Weft.Samples.Echo;

namespace Weft.E2E.Tests.Infrastructure;

/// <summary>
/// Echo backends started in-process on port 0, and the YAML that makes them a Service's endpoints
/// (a Service plus an EndpointSlice, or a WorkloadEntry the Service selects).
/// </summary>
internal sealed class Backends : IAsyncDisposable
{
    private readonly List<EchoServer> _servers = [];

    public async Task<EchoServer> StartAsync(string ns, string service, string? pod = null)
    {
        var server = await EchoServer.StartAsync(new EchoOptions
        {
            Port = 0,
            Namespace = ns,
            Service = service,
            Pod = pod ?? $"{service}-{_servers.Count}",
        });
        _servers.Add(server);
        return server;
    }

    /// <summary>A Service on <paramref name="port"/> with an EndpointSlice listing the echo servers.</summary>
    public static string ServiceWithSlice(string ns, string name, int port, params EchoServer[] endpoints)
    {
        var sb = new StringBuilder();
        sb.Append($"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              selector:
                app: {name}
              ports:
              - name: http
                port: {port}
                targetPort: 3000
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: {name}-1
              namespace: {ns}
              labels:
                kubernetes.io/service-name: {name}
            addressType: IPv4
            ports:
            - name: http
              port: {(endpoints.Length > 0 ? endpoints[0].Port : 3000)}
            endpoints:

            """);
        foreach (var e in endpoints)
        {
            if (e.Port != endpoints[0].Port)
            {
                throw new ArgumentException("one EndpointSlice port per slice: start endpoints of a service with the same port or use WorkloadEntries");
            }

            sb.Append($"- addresses: [\"{e.EndPoint.Address}\"]\n");
        }

        if (endpoints.Length == 0)
        {
            sb.Append("  []\n");
        }

        sb.Append("---\n");
        return sb.ToString();
    }

    /// <summary>A Service selecting app=<paramref name="name"/>, and one WorkloadEntry per echo server.</summary>
    public static string ServiceWithWorkloadEntries(string ns, string name, int port, params EchoServer[] endpoints)
    {
        var sb = new StringBuilder($"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              selector:
                app: {name}
              ports:
              - name: http
                port: {port}
                targetPort: http
            ---

            """);
        var i = 0;
        foreach (var e in endpoints)
        {
            sb.Append($"""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: {name}-{i++}
                  namespace: {ns}
                spec:
                  address: {e.EndPoint.Address}
                  labels:
                    app: {name}
                  ports:
                    http: {e.Port}
                ---

                """);
        }

        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _servers)
        {
            await s.DisposeAsync();
        }
    }
}
