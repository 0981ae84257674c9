using EdgeRuntime.Adaptation;

namespace EdgeRuntime.Tests.Adaptation;

public sealed class ConfidentFramesTests
{
    [Fact]
    public void Only_frames_whose_top_probability_reaches_the_confidence_are_taken_with_their_top_class()
    {
        float[] probabilities =
        [
            0.95f, 0.03f, 0.02f,
            0.40f, 0.35f, 0.25f,
            0.05f, 0.05f, 0.90f,
            0.10f, 0.89f, 0.01f,
        ];

        var (frames, labels) = ConfidentFrames.Pick<float>(probabilities, 3, 0.9);

        Assert.Equal([0, 2], frames);
        Assert.Equal([0, 2], labels);
    }

    [Fact]
    public void Double_probabilities_from_a_few_shot_head_follow_the_same_rule()
    {
        double[] probabilities = [0.2, 0.8, 0.99, 0.01];

        var (frames, labels) = ConfidentFrames.Pick<double>(probabilities, 2, 0.8);

        Assert.Equal([0, 1], frames);
        Assert.Equal([1, 0], labels);
    }

    [Fact]
    public void A_head_without_classes_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidentFrames.Pick<float>([0.5f], 0, 0.9));
    }
}
