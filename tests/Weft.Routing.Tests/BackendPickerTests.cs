using Weft.Ir;
using static Weft.Routing.Tests.Ir;

namespace Weft.Routing.Tests;

public sealed class BackendPickerTests
{
    [Fact]
    public void Splits_by_weight()
    {
        var picker = new BackendPicker(Backends(90, 10));
        var random = new Random(42);
        var counts = new int[2];
        for (var i = 0; i < 10_000; i++)
        {
            counts[picker.Pick(random)]++;
        }

        Assert.InRange(counts[0], 8_900, 9_100);
        Assert.InRange(counts[1], 900, 1_100);
    }

    [Fact]
    public void Weight_zero_is_never_chosen()
    {
        var picker = new BackendPicker(Backends(0, 3, 0, 1));
        var random = new Random(1);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Contains(picker.Pick(random), new[] { 1, 3 });
        }

        // Bounds are exclusive: draws 0..2 belong to backend 1, draw 3 to backend 3.
        Assert.Equal(1, picker.Pick(0L));
        Assert.Equal(1, picker.Pick(2L));
        Assert.Equal(3, picker.Pick(3L));
    }

    [Fact]
    public void All_zero_or_none_means_no_backend()
    {
        Assert.Equal(-1, new BackendPicker(Backends(0, 0)).Pick(new Random(1)));
        Assert.False(new BackendPicker([]).HasBackends);
    }

    [Fact]
    public void Invalid_backends_keep_their_share()
    {
        var picker = new BackendPicker([new BackendIr { Cluster = null, Weight = 1, InvalidReason = "BackendNotFound" }]);

        Assert.Equal(0, picker.Pick(new Random(1)));
    }
}
