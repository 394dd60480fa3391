using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.ControlPlane.Hosting;
using Weft.Identity;
using Weft.Ir.Wire;

namespace Weft.ControlPlane.Tests;

/// <summary>
/// The distribution port serves a stream only to a caller that proves who it is, gives it only its own
/// scope's config (and so only the keys its own listeners use), keys proxies by their stream rather than
/// their declared node id, and bounds how many streams there are and how long one may wait to say Hello.
/// </summary>
public sealed class DistributionSecurityTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-dsec-" + Guid.NewGuid().ToString("n")[..8]);
    private ControlPlaneServer _server = null!;
    private GrpcChannel _channel = null!;
    private string _keyA = "";
    private string _keyB = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var (secretA, keyA) = SecurityFixture.TlsSecret("cert-a", "a.example");
        var (secretB, keyB) = SecurityFixture.TlsSecret("cert-b", "b.example");
        (_keyA, _keyB) = (keyA, keyB);
        await File.WriteAllTextAsync(Path.Combine(_dir, "gws.yaml"), string.Join("\n---\n",
            secretA, secretB, SecurityFixture.HttpsGateway("gw-a", 443, "cert-a", "a.example"), SecurityFixture.HttpsGateway("gw-b", 443, "cert-b", "b.example")));
        _server = await ControlPlaneServer.StartAsync(
            new ControlPlaneOptions { Paths = [_dir], XdsPort = 0, AdminPort = 0, PortOffset = 20000, MaxProxyStreams = 3, HelloTimeout = TimeSpan.FromSeconds(1) },
            NullLoggerFactory.Instance);
        _channel = GrpcChannel.ForAddress(_server.XdsAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_stream_without_a_credential_or_with_a_forged_one_gets_nothing()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-a"), token: null));
        AssertRefusedBeforeHello(StatusCode.Unauthenticated, none);

        var forged = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-a"), ProxyTokens.Mint(LocalCredential.Generate(), ProxyTokens.GatewayScope("default", "gw-a"))));
        AssertRefusedBeforeHello(StatusCode.Unauthenticated, forged);
        Assert.Empty(_server.Proxies.All);
    }

    [Fact]
    public async Task A_proxy_token_opens_only_its_own_scope()
    {
        var tokenA = ProxyTokens.Mint(_server.Credential, ProxyTokens.GatewayScope("default", "gw-a"));
        var other = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-b"), tokenA));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);

        var sidecarToken = ProxyTokens.Mint(_server.Credential, ProxyTokens.SidecarScope("team-a"));
        var foreignMesh = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("sidecar", "team-b", "w"), sidecarToken));
        Assert.Equal(StatusCode.PermissionDenied, foreignMesh.StatusCode);
        var gatewayFromSidecar = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-a"), sidecarToken));
        Assert.Equal(StatusCode.PermissionDenied, gatewayFromSidecar.StatusCode);

        // Its own Gateway's snapshot carries its own key and not the other Gateway's.
        var own = await FirstSnapshotAsync(Hello("gateway", "default", "gw-a"), tokenA);
        var json = SecurityFixture.Strings(Encoding.UTF8.GetString(own.SnapshotJson.Span));
        Assert.Contains(SecurityFixture.KeyBody(_keyA), json, StringComparison.Ordinal);
        Assert.DoesNotContain(SecurityFixture.KeyBody(_keyB), json, StringComparison.Ordinal);
        Assert.DoesNotContain("b.example", json, StringComparison.Ordinal);

        // The sidecar token still opens its own namespace.
        var mesh = await FirstSnapshotAsync(Hello("sidecar", "team-a", "w"), sidecarToken);
        Assert.NotEmpty(mesh.Version);
    }

    [Fact]
    public async Task A_second_proxy_claiming_the_same_node_id_cannot_nack_or_leave_in_the_first_ones_name()
    {
        var token = ProxyTokens.Mint(_server.Credential, ProxyTokens.GatewayScope("default", "gw-a"));
        using var real = Open(token);
        await real.RequestStream.WriteAsync(new ProxyMessage { Hello = Hello("gateway", "default", "gw-a", "node-1") });
        Assert.True(await real.ResponseStream.MoveNext(CancellationToken.None));
        var version = real.ResponseStream.Current.Version;
        await real.RequestStream.WriteAsync(new ProxyMessage { Ack = new Ack { Version = version } });
        await WaitAsync(() => _server.Proxies.All.Any(p => p.AckedVersion == version), "the real proxy's ACK");

        using (var impostor = Open(token))
        {
            await impostor.RequestStream.WriteAsync(new ProxyMessage { Hello = Hello("gateway", "default", "gw-a", "node-1") });
            Assert.True(await impostor.ResponseStream.MoveNext(CancellationToken.None));
            await impostor.RequestStream.WriteAsync(new ProxyMessage { Nack = new Nack { Version = version, Error = "forged" } });
            await WaitAsync(() => _server.Proxies.All.Count(p => p.NodeId == "node-1") == 2 && _server.Proxies.All.Any(p => p.LastError == "forged"), "both streams listed, one NACKed");

            var realEntry = _server.Proxies.All.Single(p => p.LastError is null);
            Assert.Equal(version, realEntry.AckedVersion);
            Assert.StartsWith("proxy-token gateway:default/gw-a", realEntry.Principal, StringComparison.Ordinal);
            await impostor.RequestStream.CompleteAsync();
        }

        // The impostor left; the real proxy is still there, with its own state.
        await WaitAsync(() => _server.Proxies.All.Length == 1, "the impostor's entry to go");
        Assert.Null(_server.Proxies.All.Single().LastError);
        Assert.Equal(version, _server.Proxies.All.Single().AckedVersion);
    }

    [Fact]
    public async Task Streams_are_bounded_and_one_that_says_no_hello_is_closed()
    {
        var silent = Open(_server.Credential);
        var idle = await Assert.ThrowsAsync<RpcException>(async () => await silent.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        AssertRefusedBeforeHello(StatusCode.DeadlineExceeded, idle);
        silent.Dispose();

        var open = new List<AsyncDuplexStreamingCall<ProxyMessage, SnapshotMessage>>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var call = Open(_server.Credential);
                open.Add(call);
                await call.RequestStream.WriteAsync(new ProxyMessage { Hello = Hello("gateway", "default", "gw-a", $"n{i}") });
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            }

            var extra = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-a", "n3"), _server.Credential));
            AssertRefusedBeforeHello(StatusCode.ResourceExhausted, extra);
        }
        finally
        {
            foreach (var call in open)
            {
                call.Dispose();
            }
        }

        // Slots are given back when streams end.
        await WaitAsync(() => _server.Proxies.All.IsEmpty, "the streams to close");
        var again = await FirstSnapshotAsync(Hello("gateway", "default", "gw-a", "n4"), _server.Credential);
        Assert.NotEmpty(again.Version);
    }

    [Fact]
    public async Task A_hello_with_oversized_names_is_refused()
    {
        var huge = await Assert.ThrowsAsync<RpcException>(() => FirstSnapshotAsync(Hello("gateway", "default", "gw-a", new string('n', 300)), _server.Credential));
        Assert.Equal(StatusCode.InvalidArgument, huge.StatusCode);
        Assert.Contains("node_id", huge.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_server.Proxies.All);
    }

    // A stream refused before its request body is read ends with the server's status in the trailers and
    // an RST_STREAM for the unread body; HttpClient reports the reset as Cancelled when it wins the race with
    // the trailers. Either way the stream got nothing: a stream that was served would have returned a snapshot.
    private static void AssertRefusedBeforeHello(StatusCode expected, RpcException e) =>
        Assert.True(e.StatusCode == expected || e.StatusCode == StatusCode.Cancelled, $"expected {expected}, got {e.StatusCode}: {e.Status.Detail}");

    private static Hello Hello(string role, string ns, string name, string nodeId = "") =>
        new() { Role = role, Namespace = ns, Name = name, NodeId = nodeId };

    private AsyncDuplexStreamingCall<ProxyMessage, SnapshotMessage> Open(string? token)
    {
        var client = new Weft.Ir.Wire.Distribution.DistributionClient(_channel);
        var headers = token is null ? null : new Metadata { { "authorization", "Bearer " + token } };
        return client.Stream(headers);
    }

    private async Task<SnapshotMessage> FirstSnapshotAsync(Hello hello, string? token)
    {
        using var call = Open(token);
        try
        {
            await call.RequestStream.WriteAsync(new ProxyMessage { Hello = hello });
        }
        catch (RpcException)
        {
            // The server may refuse the stream (no credential, too many streams) before the Hello is
            // written; the write then fails as Cancelled, and the server's own status is in the response.
        }

        if (!await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the stream ended without a snapshot");
        }

        return call.ResponseStream.Current;
    }

    private async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; proxies: {string.Join(" | ", _server.Proxies.All)}");
            }

            await Task.Delay(20);
        }
    }
}
