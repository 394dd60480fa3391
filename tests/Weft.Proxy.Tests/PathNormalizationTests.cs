using Weft.Ir;
using Weft.Routing;
using static Weft.Proxy.Tests.Snap;

namespace Weft.Proxy.Tests;

/// <summary>
/// What routes match and what the upstream receives, over raw sockets (HttpClient would normalize the
/// very paths under test). The upstream reports the request target it received byte for byte.
/// </summary>
public sealed class PathNormalizationTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private async Task<(GatewayProxy Proxy, int Port)> ServeAsync(PathNormalization? normalization = null)
    {
        var port = FreePort.Next();
        var proxy = new GatewayProxy(new GatewayProxyOptions { PathNormalization = normalization ?? PathNormalization.Default });
        var rewrite = Route("rewrite", Prefix("/rw"), To("a")) with
        {
            Filters = [new UrlRewriteIr { Path = new PathModifierIr { Type = PathModifierType.ReplacePrefixMatch, Value = "/v2" } }],
        };
        var snapshot = Gateway(
            [Http(port, Listener("http", null, Host("*",
                rewrite,
                Route("admin", Prefix("/admin"), To("b")),
                Route("public", Prefix("/public"), To("c")),
                Route("api", Prefix("/api"), To("a")))))],
            Cluster(upstreams.A), Cluster(upstreams.B), Cluster(upstreams.C));
        var result = await proxy.ApplyAsync(snapshot, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        return (proxy, port);
    }

    [Theory]
    // Forwarded byte for byte: escapes that are not unreserved characters stay as sent.
    [InlineData("/api/group%2Fproj", "a", "/api/group%2Fproj")]
    [InlineData("/api/a%2Bb", "a", "/api/a%2Bb")]
    [InlineData("/api/a%3Bb", "a", "/api/a%3Bb")]
    [InlineData("/api/a+b;c=d", "a", "/api/a+b;c=d")]
    [InlineData("/api/x?q=a%2Bb&r=%3B&s=+", "a", "/api/x?q=a%2Bb&r=%3B&s=+")]
    [InlineData("/api/caf%C3%A9", "a", "/api/caf%C3%A9")]
    // "..;" is a segment named "..;" (as in Envoy), not "..": routed and forwarded as the same path.
    [InlineData("/api/..;/admin", "a", "/api/..;/admin")]
    // Dot segments are removed before matching, and the upstream gets the path that was matched.
    [InlineData("/public/../admin", "b", "/admin")]
    [InlineData("/public/%2e%2e/admin", "b", "/admin")]
    [InlineData("/public/%2E%2E/admin?x=%2F", "b", "/admin?x=%2F")]
    [InlineData("/api/./x/../y", "a", "/api/y")]
    [InlineData("/../../api/x", "a", "/api/x")]
    // Unreserved escapes decoded, other escapes' hex upper-cased (RFC 3986 §6.2.2).
    [InlineData("/api/%7Euser/%61", "a", "/api/~user/a")]
    [InlineData("/api/a%2fb", "a", "/api/a%2Fb")]
    // merge_slashes is off by default: "//" is kept.
    [InlineData("/api//x", "a", "/api//x")]
    // A rewrite changes the path and nothing else.
    [InlineData("/rw/group%2Fproj?x=%2B", "a", "/v2/group%2Fproj?x=%2B")]
    public async Task Default_settings_route_and_forward_the_raw_path(string target, string backend, string upstreamTarget)
    {
        var (proxy, port) = await ServeAsync();
        await using var _ = proxy;

        var response = await RawHttp.GetAsync(port, target);

        Assert.Equal(200, response.Status);
        Assert.Equal(backend, response.Echo!.Name);
        Assert.Equal(upstreamTarget, response.Echo.RawTarget);
    }

    [Fact]
    public async Task Merge_slashes_when_enabled()
    {
        var (proxy, port) = await ServeAsync(new PathNormalization { MergeSlashes = true });
        await using var _ = proxy;

        var response = await RawHttp.GetAsync(port, "//public/..//admin//x?a=//");

        Assert.Equal("b", response.Echo!.Name);
        Assert.Equal("/admin/x?a=//", response.Echo.RawTarget);
    }

    [Fact]
    public async Task Escaped_slashes_rejected_redirected_or_unescaped_by_setting()
    {
        var (reject, rejectPort) = await ServeAsync(new PathNormalization { EscapedSlashes = EscapedSlashesAction.RejectRequest });
        await using (reject)
        {
            Assert.Equal(400, (await RawHttp.GetAsync(rejectPort, "/api/group%2Fproj")).Status);
            Assert.Equal(400, (await RawHttp.GetAsync(rejectPort, "/api/a%5cb")).Status);
            Assert.Equal(200, (await RawHttp.GetAsync(rejectPort, "/api/x?q=%2F")).Status);
        }

        var (redirect, redirectPort) = await ServeAsync(new PathNormalization { EscapedSlashes = EscapedSlashesAction.UnescapeAndRedirect });
        await using (redirect)
        {
            var response = await RawHttp.GetAsync(redirectPort, "/public%2F..%2Fadmin?q=%2F");
            Assert.Equal(307, response.Status);
            Assert.Equal("/admin?q=%2F", response.Header("Location"));
        }

        var (forward, forwardPort) = await ServeAsync(new PathNormalization { EscapedSlashes = EscapedSlashesAction.UnescapeAndForward });
        await using (forward)
        {
            var response = await RawHttp.GetAsync(forwardPort, "/public%2F..%2Fadmin%5Cx");
            Assert.Equal("b", response.Echo!.Name);
            Assert.Equal("/admin/x", response.Echo.RawTarget);
        }
    }

    [Fact]
    public async Task Without_normalization_the_raw_path_is_matched_and_forwarded()
    {
        var (proxy, port) = await ServeAsync(new PathNormalization { NormalizePath = false });
        await using var _ = proxy;

        var response = await RawHttp.GetAsync(port, "/public/../admin");

        // Matching and forwarding agree: the route for /public gets exactly "/public/../admin".
        Assert.Equal("c", response.Echo!.Name);
        Assert.Equal("/public/../admin", response.Echo.RawTarget);
    }

    [Fact]
    public async Task Absolute_form_targets_forward_their_path()
    {
        var (proxy, port) = await ServeAsync();
        await using var _ = proxy;

        var response = await RawHttp.GetAsync(port, "http://h/api/group%2Fproj?x=%2B");

        Assert.Equal("a", response.Echo!.Name);
        Assert.Equal("/api/group%2Fproj?x=%2B", response.Echo.RawTarget);
    }
}
