namespace Weft.Routing.Tests;

public sealed class PathNormalizerTests
{
    [Theory]
    [InlineData("/a/b/../c", "/a/c")]
    [InlineData("/a/./b/.", "/a/b/")]
    [InlineData("/a/..", "/")]
    [InlineData("/..", "/")]
    [InlineData("/a/%2e%2E/b", "/b")]
    [InlineData("/a/%7e%41", "/a/~A")]
    [InlineData("/a%2fb", "/a%2Fb")]
    [InlineData("/a\\b", "/a/b")]
    [InlineData("/a/..;/b", null)]
    [InlineData("/a//b", null)]
    [InlineData("/a%zz%2", null)]
    [InlineData("/file.txt/.hidden", null)]
    public void Default_settings(string raw, string? expected)
    {
        Assert.Equal(PathVerdict.Continue, PathNormalizer.Normalize(raw, PathNormalization.Default, out var changed));
        Assert.Equal(expected, changed);
    }

    [Fact]
    public void An_unchanged_path_allocates_nothing()
    {
        PathNormalizer.Normalize("/api/v1/items/42", PathNormalization.Default, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        PathNormalizer.Normalize("/api/v1/items/42", PathNormalization.Default, out var plain);
        PathNormalizer.Normalize("/api/v1/file.json/%2Fx", PathNormalization.Default, out var escaped);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Null(plain);
        Assert.Null(escaped);
    }
}
