using EdgeRuntime.Calibration;
using EdgeRuntime.Samples;

namespace EdgeRuntime.Tests.Calibration;

public sealed class TrainingReadinessTests
{
    [Fact]
    public void Two_classes_with_training_and_holdout_samples_can_train()
    {
        Assert.Null(TrainingReadiness.Problem([new ClassCount("a", 2, 1), new ClassCount("b", 1, 0)]));
    }

    [Fact]
    public void Declared_classes_without_samples_are_ignored_rather_than_counted()
    {
        Assert.Null(TrainingReadiness.Problem([new ClassCount("a", 2, 1), new ClassCount("b", 2, 1), new ClassCount("empty", 0, 0)]));
        Assert.StartsWith("Only one class ('a')", TrainingReadiness.Problem([new ClassCount("a", 2, 1), new ClassCount("empty", 0, 0)]), StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_explicit_holdout_any_class_without_training_samples_refuses()
    {
        var problem = TrainingReadiness.Problem([new ClassCount("a", 3, 1), new ClassCount("b", 0, 1), new ClassCount("c", 2, 1)], explicitHoldout: true);

        Assert.Equal("Class(es) 'b' have no training samples; capture at least two samples per class.", problem);
    }

    [Fact]
    public void With_an_explicit_holdout_an_empty_holdout_refuses_with_what_to_capture()
    {
        var ex = Assert.Throws<NotEnoughSamplesException>(() => TrainingReadiness.ThrowIfNotTrainable([new ClassCount("a", 1, 0), new ClassCount("b", 1, 0)], explicitHoldout: true));

        Assert.StartsWith("No holdout samples yet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_explicit_holdout_one_sample_per_class_can_train_every_sample_trains()
    {
        Assert.Null(TrainingReadiness.Problem([new ClassCount("a", 1, 0), new ClassCount("b", 0, 1)]));
    }
}
