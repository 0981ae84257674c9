using EdgeRuntime.Adaptation;

namespace EdgeRuntime.Tests.Adaptation;

public sealed class EvenSelectionTests
{
    [Fact]
    public void A_list_within_the_cap_is_taken_whole()
    {
        var items = Enumerable.Range(0, 5).ToList();

        Assert.Equal(items, EvenSelection.Pick(items, 5));
    }

    [Fact]
    public void A_longer_list_gives_the_centres_of_equal_stretches_in_order_the_same_every_time()
    {
        var items = Enumerable.Range(0, 100).ToList();

        var picked = EvenSelection.Pick(items, 4);

        Assert.Equal([12, 37, 62, 87], picked);
        Assert.Equal(picked, EvenSelection.Pick(items, 4));
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 2 == 1), EvenSelection.Pick(items, 50));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(1_000_001)]
    public void A_cap_below_the_minimum_frames_or_absurdly_high_is_refused_naming_the_key(int maxImages)
    {
        var problem = new AdaptationOptions { MaxImages = maxImages }.Validate();

        Assert.NotNull(problem);
        Assert.Contains("Calibration:Adaptation:MaxImages", problem, StringComparison.Ordinal);
    }
}
