using EdgeRuntime.TestSupport;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Training;

public sealed class HeadTrainerTests
{
    private static readonly HeadTrainer Trainer = new(GraphRunner.Factory, NullLogger<HeadTrainer>.Instance);
    private readonly ITestOutputHelper _output;

    public HeadTrainerTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(HeadKind.Linear)]
    [InlineData(HeadKind.Hidden)]
    public void Linearly_separable_embeddings_reach_full_holdout_accuracy(HeadKind kind)
    {
        var data = TrainingDataFactory.Clusters(seed: 1, train: 200, holdout: 100, dimension: 16, classes: 5, spread: 0.1);
        var settings = new TrainingSettings { HeadKind = kind, HiddenSize = 32, Epochs = 40, LearningRate = 0.02f, Seed = 3 };

        var head = Trainer.Train(data, settings);

        Assert.Equal(1f, head.History[head.BestEpoch - 1].HoldoutAccuracy);
        Assert.Equal(1.0, HoldoutAccuracy(head, data));
    }

    [Fact]
    public void Overlapping_classes_reach_the_accuracy_of_a_float64_logistic_regression_within_one_point()
    {
        var data = TrainingDataFactory.Clusters(seed: 7, train: 800, holdout: 2000, dimension: 8, classes: 4, spread: 1.0);
        var settings = new TrainingSettings { Epochs = 60, LearningRate = 0.01f, WeightDecay = 1e-4f, EarlyStoppingPatience = 10, Seed = 1 };

        var head = Trainer.Train(data, settings);
        var reference = ReferenceHead.LogisticRegressionAccuracy(
            data.TrainEmbeddings, data.TrainLabels, data.HoldoutEmbeddings, data.HoldoutLabels, data.Dimension, data.ClassCount, lambda: 1e-4, rate: 0.5, iterations: 1500);

        var accuracy = HoldoutAccuracy(head, data);
        _output.WriteLine($"Holdout accuracy: head {accuracy:P2}, float64 logistic regression {reference:P2}");
        Assert.InRange(reference, 0.5, 0.97);
        Assert.True(Math.Abs(accuracy - reference) <= 0.01, $"head {accuracy:P2}, float64 logistic regression {reference:P2}");
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters()
    {
        var data = TrainingDataFactory.Clusters(seed: 2, train: 150, holdout: 50, dimension: 12, classes: 3, spread: 0.8);
        var settings = new TrainingSettings { HeadKind = HeadKind.Hidden, HiddenSize = 16, Epochs = 5, Dropout = 0.3f, LabelSmoothing = 0.1f, ClassWeighting = ClassWeighting.Balanced, Seed = 42 };

        var first = Trainer.Train(data, settings);
        var second = Trainer.Train(data, settings);
        var otherSeed = Trainer.Train(data, settings with { Seed = 43 });

        for (var t = 0; t < first.Parameters.Count; t++)
        {
            Assert.Equal(first.Parameters[t], second.Parameters[t]);
            Assert.Equal(first.Optimizer.SecondMoments[t], second.Optimizer.SecondMoments[t]);
        }

        Assert.NotEqual(first.Parameters[0], otherSeed.Parameters[0]);
    }

    [Fact]
    public void Cancelling_stops_training_with_an_OperationCanceledException()
    {
        var data = TrainingDataFactory.Clusters(seed: 2, train: 100, holdout: 20, dimension: 8, classes: 3, spread: 0.5);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Epoch == 2)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(data, new TrainingSettings { Epochs = 50 }, progress: progress, cancellationToken: cancellation.Token));
        Assert.Equal([1, 2], progress.Reports.Select(r => r.Epoch));
    }

    [Fact]
    public void Early_stopping_restores_the_epoch_with_the_best_holdout_loss()
    {
        // A tiny, noisy training set overfits quickly, so the holdout loss turns up well before the epoch limit.
        var data = TrainingDataFactory.Clusters(seed: 9, train: 24, holdout: 200, dimension: 32, classes: 3, spread: 1.5, centreScale: 0.3);
        var settings = new TrainingSettings { Epochs = 300, LearningRate = 0.05f, WeightDecay = 0f, EarlyStoppingPatience = 5, BatchSize = 8, Seed = 4 };

        var head = Trainer.Train(data, settings);

        Assert.True(head.History.Count < settings.Epochs);
        Assert.Equal(head.BestEpoch + settings.EarlyStoppingPatience, head.History.Count);
        var bestLoss = head.History.Min(h => h.HoldoutLoss);
        Assert.Equal(bestLoss, head.History[head.BestEpoch - 1].HoldoutLoss);
        Assert.Equal(bestLoss, Evaluate(head, data).Loss, 5);
    }

    [Fact]
    public void Training_can_start_from_imprinted_weights_and_from_a_parent_with_fewer_classes()
    {
        var data = TrainingDataFactory.Clusters(seed: 5, train: 120, holdout: 60, dimension: 16, classes: 4, spread: 0.3);
        var imprinted = WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, data.Dimension, data.ClassCount);
        var parentData = Subset(data, classes: 3);
        var parent = Trainer.Train(parentData, new TrainingSettings { Epochs = 10, Seed = 1 });

        var fromImprint = Trainer.Train(data, new TrainingSettings { Epochs = 3, Seed = 1 }, start: imprinted);
        var fromParent = Trainer.Train(data, new TrainingSettings { Epochs = 10, Seed = 1 }, start: parent);

        Assert.Equal(1.0, HoldoutAccuracy(fromImprint, data));
        Assert.Equal(4, fromParent.ClassCount);
        Assert.Equal(1.0, HoldoutAccuracy(fromParent, data));
        var wrongKind = new TrainingSettings { HeadKind = HeadKind.Hidden, Epochs = 1 };
        var ex = Assert.Throws<EdgeRuntimeException>(() => Trainer.Train(data, wrongKind, start: parent));
        Assert.Contains("not compatible", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_the_optimizer_continues_its_step_count()
    {
        var data = TrainingDataFactory.Clusters(seed: 5, train: 64, holdout: 16, dimension: 8, classes: 2, spread: 0.5);
        var settings = new TrainingSettings { Epochs = 2, BatchSize = 16, EarlyStoppingPatience = 0 };
        var first = Trainer.Train(data, settings);

        var resumed = Trainer.Train(data, settings, start: first, resumeOptimizer: true);
        var fresh = Trainer.Train(data, settings, start: first);

        Assert.Equal(8, first.Optimizer.Step);
        Assert.Equal(16, resumed.Optimizer.Step);
        Assert.Equal(8, fresh.Optimizer.Step);
    }

    internal static double HoldoutAccuracy(TrainedHead head, TrainingData data)
    {
        var predicted = Evaluate(head, data).Predicted;
        return (double)predicted.Where((p, i) => p == data.HoldoutLabels[i]).Count() / predicted.Length;
    }

    internal static (float Loss, float[] Probabilities, long[] Predicted) Evaluate(TrainedHead head, TrainingData data)
    {
        var inputs = new Dictionary<string, (Array, long[])>(StringComparer.Ordinal)
        {
            [TrainingGraphNames.Embeddings] = (data.HoldoutEmbeddings, [data.HoldoutCount, data.Dimension]),
            [TrainingGraphNames.Labels] = (data.HoldoutLabels.Select(l => (long)l).ToArray(), [data.HoldoutCount]),
        };
        for (var i = 0; i < head.Parameters.Count; i++)
        {
            inputs[head.Shape.ParameterNames[i]] = (head.Parameters[i], head.Shape.ParameterDims(i));
        }

        var outputs = GraphRunner.Run(HeadGraphBuilder.BuildEvaluation(head.Shape), inputs, TrainingGraphNames.Loss, TrainingGraphNames.Probabilities, TrainingGraphNames.Predicted);
        return (((float[])outputs[TrainingGraphNames.Loss])[0], (float[])outputs[TrainingGraphNames.Probabilities], (long[])outputs[TrainingGraphNames.Predicted]);
    }

    private static TrainingData Subset(TrainingData data, int classes)
    {
        (float[], int[]) Keep(float[] x, int[] y)
        {
            var rows = Enumerable.Range(0, y.Length).Where(i => y[i] < classes).ToArray();
            return ([.. rows.SelectMany(i => x.Skip(i * data.Dimension).Take(data.Dimension))], [.. rows.Select(i => y[i])]);
        }

        var (tx, ty) = Keep(data.TrainEmbeddings, data.TrainLabels);
        var (hx, hy) = Keep(data.HoldoutEmbeddings, data.HoldoutLabels);
        return new TrainingData(tx, ty, hx, hy, data.Dimension, classes);
    }
}
