using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Training;

public sealed class WeightImprintingTests
{
    [Fact]
    public void An_imprinted_head_classifies_well_separated_classes_without_training()
    {
        var data = TrainingDataFactory.Clusters(seed: 4, train: 40, holdout: 200, dimension: 32, classes: 5, spread: 0.2);

        var head = WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, data.Dimension, data.ClassCount);

        Assert.Equal(0, head.BestEpoch);
        Assert.Equal(1.0, HeadTrainerTests.HoldoutAccuracy(head, data));
    }

    [Fact]
    public void Imprinted_columns_are_unit_class_directions_times_the_scale()
    {
        float[] x = [3, 0, 0, 5, 0, 2];
        int[] y = [0, 1, 1];

        var head = WeightImprinting.Imprint(x, y, dimension: 2, classCount: 2, scale: 4f);

        // Class 0: (1,0). Class 1: normalize((0,1) + (0,1)) = (0,1). W is D×K row-major.
        Assert.Equal([4f, 0f, 0f, 4f], head.Parameters[0]);
        Assert.Equal([0f, 0f], head.Parameters[1]);
    }

    [Fact]
    public void A_new_class_can_be_imprinted_onto_an_existing_linear_head()
    {
        var data = TrainingDataFactory.Clusters(seed: 6, train: 60, holdout: 120, dimension: 16, classes: 4, spread: 0.2);
        var known = Enumerable.Range(0, data.TrainCount).Where(i => data.TrainLabels[i] < 3).ToArray();
        var head = WeightImprinting.Imprint(
            [.. known.SelectMany(i => data.TrainEmbeddings.Skip(i * 16).Take(16))], [.. known.Select(i => data.TrainLabels[i])], 16, 3);
        var newClass = Enumerable.Range(0, data.TrainCount).Where(i => data.TrainLabels[i] == 3).SelectMany(i => data.TrainEmbeddings.Skip(i * 16).Take(16)).ToArray();

        var extended = WeightImprinting.AddClass(head, newClass);

        Assert.Equal(4, extended.ClassCount);
        Assert.Equal(1.0, HeadTrainerTests.HoldoutAccuracy(extended, data));
    }

    [Fact]
    public void Imprinting_refuses_a_class_without_samples()
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => WeightImprinting.Imprint([1, 0, 0, 1], [0, 0], 2, 3));

        Assert.Contains("Class 1, 2 has no training samples", ex.Message, StringComparison.Ordinal);
    }
}
