using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Training;

public sealed class TrainingDataValidationTests
{
    private static readonly HeadTrainer Trainer = new(GraphRunner.Factory, NullLogger<HeadTrainer>.Instance);

    public static TheoryData<string, string> BadData => new()
    {
        { "one class", "at least 2 classes" },
        { "empty class", "Class 2 has no training samples" },
        { "NaN", "non-finite embedding value (NaN) at component 1" },
        { "Infinity", "training sample 3 has a non-finite" },
        { "short embeddings", "has 6 labels but 23 embedding values" },
        { "label out of range", "has label 7, outside 0..2" },
        { "empty holdout", "holdout set is empty" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void Bad_training_data_is_refused_with_the_reason(string problem, string expectedMessage)
    {
        var x = Enumerable.Range(0, 24).Select(i => (float)i / 24).ToArray();
        int[] y = [0, 1, 0, 1, 0, 1];
        var (hx, hy) = (new float[8], new[] { 0, 1 });
        var data = problem switch
        {
            "one class" => new TrainingData(x, [0, 0, 0, 0, 0, 0], hx, [0, 0], 4, 1),
            "empty class" => new TrainingData(x, y, hx, hy, 4, 3),
            "NaN" => new TrainingData(With(x, 1, float.NaN), y, hx, hy, 4, 2),
            "Infinity" => new TrainingData(With(x, 13, float.PositiveInfinity), y, hx, hy, 4, 2),
            "short embeddings" => new TrainingData(x[..23], y, hx, hy, 4, 2),
            "label out of range" => new TrainingData(x, [0, 1, 2, 7, 0, 1], hx, hy, 4, 3),
            "empty holdout" => new TrainingData(x, y, [], [], 4, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var ex = Assert.Throws<EdgeRuntimeException>(() => Trainer.Train(data, new TrainingSettings()));
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_are_refused_naming_the_setting()
    {
        var data = new TrainingData(new float[8], [0, 1], new float[4], [0], 4, 2);

        var ex = Assert.Throws<EdgeRuntimeException>(() => Trainer.Train(data, new TrainingSettings { LabelSmoothing = 1.5f }));

        Assert.Contains("LabelSmoothing", ex.Message, StringComparison.Ordinal);
    }

    private static float[] With(float[] values, int index, float value)
    {
        var copy = (float[])values.Clone();
        copy[index] = value;
        return copy;
    }
}
