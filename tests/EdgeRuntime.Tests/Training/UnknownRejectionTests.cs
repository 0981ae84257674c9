using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Training;

public sealed class UnknownRejectionTests
{
    [Fact]
    public void The_threshold_keeps_95_percent_of_correct_predictions_above_it()
    {
        // 20 correct predictions with confidences 0.50, 0.52, ..., 0.88 plus wrong ones that must not count.
        var probabilities = new List<float>();
        var labels = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            var p = 0.5f + (0.02f * i);
            probabilities.AddRange([p, 1 - p]);
            labels.Add(0);
        }

        probabilities.AddRange([0.1f, 0.9f]);
        labels.Add(0);

        var threshold = UnknownRejection.ChooseThreshold([.. probabilities], [.. labels], 2);

        // Keeping 19 of 20 drops only the least confident: the threshold is the second-lowest confidence.
        Assert.Equal(0.52f, threshold, 6);
    }

    [Fact]
    public void The_threshold_never_exceeds_0_99_even_when_every_correct_prediction_is_certain()
    {
        Assert.Equal(0.99f, UnknownRejection.ChooseThreshold([1f, 0f, 1f, 0f], [0, 0], 2));
    }

    [Fact]
    public void Without_correct_predictions_the_lower_bound_is_returned()
    {
        Assert.Equal(1f / 3, UnknownRejection.ChooseThreshold([0.1f, 0.8f, 0.1f], [0], 3), 6);
    }
}
