using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weft.E2E.Tests.Infrastructure;

namespace Weft.E2E.Tests;

/// <summary>
/// Workloads joined to the mesh with `weft run`: Services select them by label, their outbound
/// calls go through a sidecar that applies mesh (Service-parented) HTTPRoutes, and stopping
/// `weft run` takes the endpoint and the process away.
/// </summary>
[Collection("e2e")]
public sealed partial class MeshTests
{
    private const string Mesh = """
        apiVersion: v1
        kind: Service
        metadata:
          name: hello
        spec:
          selector:
            app: hello
          ports:
          - name: http
            port: 80
            targetPort: 3000
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: hello-v1
        spec:
          selector: {app: hello, version: v1}
          ports:
          - name: http
            port: 80
            targetPort: 3000
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: hello-v2
        spec:
          selector: {app: hello, version: v2}
          ports:
          - name: http
            port: 80
            targetPort: 3000
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: hello
        spec:
          parentRefs:
          - group: ""
            kind: Service
            name: hello
            port: 80
          rules:
          - matches:
            - headers:
              - name: end-user
                value: jason
            backendRefs:
            - name: hello-v2
              port: 80
          - backendRefs:
            - name: hello-v1
              port: 80
        """;

    [Fact]
    public async Task Weft_run_workloads_are_routed_by_mesh_routes_and_leave_cleanly()
    {
        using var workspace = new Workspace();
        workspace.Write("mesh.yaml", Mesh);
        await using var weft = await LocalWeft.StartAsync(workspace.Path);
        string[] Run(string name, string labels) =>
            ["run", "--name", name, "--labels", labels, "--port", "3000", "--server", weft.Admin.ToString(), "--", "dotnet", WeftCli.EchoDll, "--pod", name];
        await using var v1 = WeftProcess.Start(Run("hello-v1", "app=hello,version=v1"));
        await using var v2 = WeftProcess.Start(Run("hello-v2", "app=hello,version=v2"));
        await using var client = WeftProcess.Start(Run("client", "app=client"));
        var clientLine = await client.WaitForLineAsync(l => l.StartsWith("workload default/client", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await v1.WaitForLineAsync(l => l.StartsWith("workload default/hello-v1", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var v2Line = await v2.WaitForLineAsync(l => l.StartsWith("workload default/hello-v2", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // Each workload has a loopback address of its own, all on port 3000, as pods would.
        var v2Address = Listening().Match(v2Line).Groups[1].Value;
        Assert.StartsWith("127.1.", v2Address);
        var outbound = new Uri(Outbound().Match(clientLine).Groups[1].Value);

        using var http = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(outbound), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(10) };
        async Task<(HttpStatusCode Status, string? Pod)> Call(string url, string? user = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (user is not null)
            {
                request.Headers.Add("end-user", user);
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(body)?["pod"]?.GetValue<string>() : null);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "hello-v1"), await Call("http://hello/"));
            Assert.Equal((HttpStatusCode.OK, "hello-v2"), await Call("http://hello.default.svc.cluster.local/x", "jason"));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Call("http://no-such-service/")).Status);

        var routes = await weft.CliAsync("get", "httproutes");
        Assert.Matches(@"hello\s+True", routes.Stdout);

        // Ctrl-C on `weft run`: the endpoint is removed, the process stopped.
        Assert.Equal(0, await v2.InterruptAsync(TimeSpan.FromSeconds(60)));
        var entries = await weft.CliAsync("get", "workloadentries");
        Assert.DoesNotContain("hello-v2", entries.Stdout);
        Assert.Contains("hello-v1", entries.Stdout);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Parse(v2Address), 3000));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Call("http://hello/", "jason")).Status);
        Assert.Equal("hello-v1", (await Call("http://hello/")).Pod);
    }

    [GeneratedRegex(@"listening on (127\.[0-9.]+):\d+")]
    private static partial Regex Listening();

    [GeneratedRegex(@"outbound proxy (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Outbound();
}
