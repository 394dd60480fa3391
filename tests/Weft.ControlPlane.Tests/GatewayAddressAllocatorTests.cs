using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.ControlPlane.Hosting;

namespace Weft.ControlPlane.Tests;

public sealed class GatewayAddressAllocatorTests
{
    private static Gateway Gw(string name, string? address = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns" },
        Spec = new GatewaySpec
        {
            GatewayClassName = "weft",
            Addresses = address is null ? null : [new GatewaySpecAddress { Type = "IPAddress", Value = address }],
        },
    };

    [Fact]
    public void Gateways_get_consecutive_loopback_addresses_that_stick()
    {
        var allocator = new GatewayAddressAllocator("127.0.0.1");
        var first = allocator.Assign([Gw("b"), Gw("a")]);
        Assert.Equal("127.0.0.1", first["ns/b"]);
        Assert.Equal("127.0.0.2", first["ns/a"]);

        var second = allocator.Assign([Gw("a"), Gw("c"), Gw("b")]);
        Assert.Equal("127.0.0.1", second["ns/b"]);
        Assert.Equal("127.0.0.2", second["ns/a"]);
        Assert.Equal("127.0.0.3", second["ns/c"]);
    }

    [Fact]
    public void A_requested_loopback_address_is_honoured_and_skipped_by_others()
    {
        var allocator = new GatewayAddressAllocator("127.0.0.1");
        var result = allocator.Assign([Gw("pinned", "127.0.0.1"), Gw("other"), Gw("public", "10.0.0.1")]);
        Assert.Equal("127.0.0.1", result["ns/pinned"]);
        Assert.Equal("127.0.0.2", result["ns/other"]);
        Assert.Equal("127.0.0.3", result["ns/public"]);
    }

    [Fact]
    public void The_first_usable_entry_is_bound_whatever_comes_before_it()
    {
        // As GatewayStaticAddresses applies it: an invalid type, an unusable IP, then the usable one.
        var allocator = new GatewayAddressAllocator("127.0.0.1");
        var gateway = new Gateway
        {
            Metadata = new V1ObjectMeta { Name = "static", NamespaceProperty = "ns" },
            Spec = new GatewaySpec
            {
                GatewayClassName = "weft",
                Addresses =
                [
                    new GatewaySpecAddress { Type = "test/fake-invalid-type", Value = "127.0.0.9" },
                    new GatewaySpecAddress { Type = "IPAddress", Value = "198.51.100.1" },
                    new GatewaySpecAddress { Value = "127.0.0.50" },
                ],
            },
        };

        Assert.Equal("127.0.0.50", allocator.Assign([gateway])["ns/static"]);
    }
}
