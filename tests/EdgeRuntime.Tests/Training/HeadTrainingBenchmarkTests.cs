using System.Diagnostics;
using System.Globalization;
using EdgeRuntime.Execution;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Training;

/// <summary>
/// Prints training speed for the production-like size (1,000 × 512-d, 10 classes). Asserts quality, never time.
/// One intra-op thread, so process CPU time per step is a figure that a busy shared machine does not inflate.
/// </summary>
public sealed class HeadTrainingBenchmarkTests
{
    private static readonly OrtSessionFactory SingleThread = new(new ExecutionOptions { IntraOpThreads = 1 }, NullLogger<OrtSessionFactory>.Instance);
    private readonly ITestOutputHelper _output;

    public HeadTrainingBenchmarkTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Training_1000_embeddings_of_512_dimensions_and_10_classes_converges_and_reports_its_time()
    {
        var data = TrainingDataFactory.Clusters(seed: 12, train: 1000, holdout: 250, dimension: 512, classes: 10, spread: 1.0, centreScale: 0.2);
        var settings = new TrainingSettings { Epochs = 300, BatchSize = 32, LearningRate = 0.01f, EarlyStoppingPatience = 5, EarlyStoppingMinDelta = 1e-3f, Seed = 1 };
        var trainer = new HeadTrainer(SingleThread, NullLogger<HeadTrainer>.Instance);

        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var head = trainer.Train(data, settings);
        clock.Stop();
        cpu = Environment.CpuUsage.TotalTime - cpu;

        var best = head.History[head.BestEpoch - 1];
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Minibatch (32) training: {clock.Elapsed.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU for {head.History.Count} epochs ({head.History.Count * 32} steps), best epoch {head.BestEpoch}, holdout accuracy {best.HoldoutAccuracy:P1}, loss {best.HoldoutLoss:F4}"));
        Assert.True(best.HoldoutAccuracy >= 0.9f, $"holdout accuracy {best.HoldoutAccuracy:P1}");
    }

    [Fact]
    public void A_full_batch_step_on_1000_by_512_by_10_reports_its_time()
    {
        var data = TrainingDataFactory.Clusters(seed: 12, train: 1000, holdout: 250, dimension: 512, classes: 10, spread: 1.0, centreScale: 0.2);
        var shape = new HeadShape(HeadKind.Linear, 512, 10);
        var settings = new TrainingSettings { LearningRate = 0.01f };
        using var runner = new TrainingStepRunner(SingleThread, shape, data, HeadInitializer.Random(shape, new Random(1)), AdamState.Zero(shape), settings);
        var batch = runner.Batch(data.TrainCount);
        data.TrainEmbeddings.CopyTo(batch.Embeddings, 0);
        for (var i = 0; i < data.TrainCount; i++)
        {
            batch.Labels[i] = data.TrainLabels[i];
            batch.Weights[i] = 1f;
        }

        var first = runner.Run(batch);
        const int Steps = 300;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var last = first;
        for (var s = 0; s < Steps; s++)
        {
            last = runner.Run(batch);
        }

        clock.Stop();
        cpu = Environment.CpuUsage.TotalTime - cpu;
        var holdoutLoss = runner.Evaluate();
        var accuracy = (double)runner.HoldoutPredictions.Where((p, i) => p == data.HoldoutLabels[i]).Count() / data.HoldoutCount;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Full-batch step 1000x512x10: {clock.Elapsed.TotalMilliseconds / Steps:F3} ms/step wall, {cpu.TotalMilliseconds / Steps:F3} ms/step CPU over {Steps} steps; train loss {first:F4} -> {last:F4}; holdout loss {holdoutLoss:F4}, accuracy {accuracy:P1}"));
        Assert.True(last < first / 4, $"train loss {first} -> {last}");
        Assert.True(accuracy >= 0.9, $"holdout accuracy {accuracy:P1}");
    }
}
