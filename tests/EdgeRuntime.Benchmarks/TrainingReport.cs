using System.Diagnostics;
using System.Globalization;
using EdgeRuntime.Calibration;
using EdgeRuntime.Execution;
using EdgeRuntime.Training;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;

namespace EdgeRuntime.Benchmarks;

/// <summary>
/// Head training speed and quality against ML.NET's L-BFGS maximum entropy on the same cached embeddings and split,
/// then import throughput relative to the backbone alone.
/// </summary>
internal static class TrainingReport
{
    private const int Dimension = EmbeddingRow.Dimension;
    private const int Classes = 10;
    private const int TrainCount = 1000;
    private const int HoldoutCount = 250;

    public static void Run(int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        var ((trainX, trainY), (holdX, holdY)) = EmbeddingGenerator.TrainAndHoldout(seed: 12, TrainCount, HoldoutCount, Dimension, Classes, spread: 1.0, centreScale: 0.2);
        var data = new TrainingData(trainX, trainY, holdX, holdY, Dimension, Classes);
        var factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = threads }, NullLogger<OrtSessionFactory>.Instance);

        var ours = TimeOurs(factory, data);
        var mlnet = TimeMlNet(data);

        Console.WriteLine(string.Create(inv, $"""
            == Head training ({TrainCount} cached {Dimension}-d embeddings x {Classes} classes, holdout {HoldoutCount}, {threads} threads) ==
            HeadTrainer (workspace settings: imprint + AdamW, early stopping)  {ours.Milliseconds,8:F0} ms (median of {ours.Runs}, target < 500 ms)   holdout accuracy {ours.Accuracy:P1}   {ours.Detail}
            ML.NET LbfgsMaximumEntropy (defaults)                              {mlnet.Milliseconds,8:F0} ms (median of {mlnet.Runs})                   holdout accuracy {mlnet.Accuracy:P1}
            """));

        ImportReport.Run(factory, threads);
    }

    private static (double Milliseconds, int Runs, double Accuracy, string Detail) TimeOurs(OrtSessionFactory factory, TrainingData data)
    {
        // Exactly what CalibrationWorkspace.Train does for a linear head: imprint, then train from there.
        var settings = new CalibrationOptions().ToTrainingSettings(null);
        var trainer = new HeadTrainer(factory, NullLogger<HeadTrainer>.Instance);
        TrainedHead Train() => trainer.Train(data, settings, WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, data.Dimension, data.ClassCount));

        var head = Train();
        const int Runs = 5;
        var cpu = Environment.CpuUsage.TotalTime;
        double ms = Measure.MedianMilliseconds(() => head = Train(), 0, Runs);
        double cpuMs = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / Runs;
        var best = head.History[head.BestEpoch - 1];
        var detail = string.Create(CultureInfo.InvariantCulture, $"({cpuMs:F0} ms process CPU per run; {head.History.Count} epochs, best {head.BestEpoch}, holdout loss {best.HoldoutLoss:F4})");
        return (ms, Runs, best.HoldoutAccuracy, detail);
    }

    private static (double Milliseconds, int Runs, double Accuracy) TimeMlNet(TrainingData data)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(EmbeddingRow.Rows(data.TrainEmbeddings, data.TrainLabels));
        var holdout = ml.Data.LoadFromEnumerable(EmbeddingRow.Rows(data.HoldoutEmbeddings, data.HoldoutLabels));
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(EmbeddingRow.Label))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(nameof(EmbeddingRow.Label), nameof(EmbeddingRow.Features)));

        var model = pipeline.Fit(train);
        const int Runs = 3;
        double ms = Measure.MedianMilliseconds(() => model = pipeline.Fit(train), 0, Runs);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(holdout), nameof(EmbeddingRow.Label));
        return (ms, Runs, metrics.MicroAccuracy);
    }
}
