using EdgeRuntime.Execution;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Training;

/// <summary>
/// Trains a classifier head on in-memory embeddings with minibatch AdamW, running the graphs of
/// <see cref="HeadGraphBuilder"/> through ONNX Runtime's inference API. Deterministic for a given seed and data.
/// Not thread-safe per call; separate calls may run concurrently.
/// </summary>
public sealed class HeadTrainer
{
    private readonly OrtSessionFactory _sessions;
    private readonly ILogger<HeadTrainer> _logger;

    public HeadTrainer(OrtSessionFactory sessions, ILogger<HeadTrainer> logger)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(logger);
        _sessions = sessions;
        _logger = logger;
    }

    /// <summary>
    /// Trains a head. Runs synchronously on the calling thread (wrap in Task.Run to keep a UI/request thread free).
    /// </summary>
    /// <param name="data">Training and holdout sets; validated first.</param>
    /// <param name="settings">Hyper-parameters; validated first.</param>
    /// <param name="start">
    /// Optional starting head (imprinted, or a parent): same kind, D and H, at most as many classes; extra classes
    /// are added (imprinted for linear heads). Null starts from seeded He/Xavier initialisation.
    /// </param>
    /// <param name="resumeOptimizer">Continue <paramref name="start"/>'s AdamW state (same class count only) instead of fresh moments.</param>
    /// <param name="progress">Receives metrics after each epoch.</param>
    /// <param name="cancellationToken">Checked before every minibatch; cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="EdgeRuntimeException">Invalid data, settings or starting head.</exception>
    public TrainedHead Train(
        TrainingData data,
        TrainingSettings settings,
        TrainedHead? start = null,
        bool resumeOptimizer = false,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        data.Validate();
        if (settings.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        var shape = new HeadShape(settings.HeadKind, data.Dimension, data.ClassCount, settings.HiddenSize);
        var random = new Random(settings.Seed);
        var initial = start is null ? HeadInitializer.Random(shape, random) : HeadInitializer.From(start, shape, data, random);
        var optimizer = resumeOptimizer && start is not null && start.ClassCount == shape.ClassCount ? start.Optimizer : AdamState.Zero(shape);
        var classWeights = ClassWeights(data, settings.ClassWeighting);

        _logger.LogInformation(
            "Training {Kind} head: {Train} training and {Holdout} holdout samples, D={Dimension}, K={Classes}, up to {Epochs} epochs",
            shape.Kind, data.TrainCount, data.HoldoutCount, shape.Dimension, shape.ClassCount, settings.Epochs);

        using var runner = new TrainingStepRunner(_sessions, shape, data, initial, optimizer, settings);
        var order = Enumerable.Range(0, data.TrainCount).ToArray();
        var history = new List<TrainingProgress>();
        var best = (Loss: float.PositiveInfinity, Epoch: 0, State: runner.Snapshot());
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            for (var first = 0; first < order.Length; first += settings.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = runner.Batch(Math.Min(settings.BatchSize, order.Length - first));
                Fill(batch, data, order.AsSpan(first, batch.Size), classWeights, settings.Dropout, random);
                lossSum += (double)runner.Run(batch) * batch.Size;
            }

            var holdoutLoss = runner.Evaluate();
            var correct = 0;
            for (var i = 0; i < data.HoldoutCount; i++)
            {
                correct += runner.HoldoutPredictions[i] == data.HoldoutLabels[i] ? 1 : 0;
            }

            var report = new TrainingProgress(epoch, (float)(lossSum / order.Length), holdoutLoss, (float)correct / data.HoldoutCount);
            history.Add(report);
            progress?.Report(report);
            if (holdoutLoss < best.Loss - settings.EarlyStoppingMinDelta)
            {
                best = (holdoutLoss, epoch, runner.Snapshot());
            }
            else if (settings.EarlyStoppingPatience > 0 && epoch - best.Epoch >= settings.EarlyStoppingPatience)
            {
                _logger.LogInformation("Early stop after epoch {Epoch}: no better holdout loss since epoch {BestEpoch}", epoch, best.Epoch);
                break;
            }
        }

        // Without early stopping the last epoch wins; with it, the best one is restored.
        var final = settings.EarlyStoppingPatience > 0 && best.Epoch > 0 ? best : (Loss: history[^1].HoldoutLoss, Epoch: history[^1].Epoch, State: runner.Snapshot());
        _logger.LogInformation("Trained {Kind} head: epoch {Epoch} kept, holdout loss {Loss}", shape.Kind, final.Epoch, final.Loss);
        return new TrainedHead(shape, final.State.Parameters, final.State.Optimizer, final.Epoch, history);
    }

    /// <summary>Per-class loss weights: all 1, or N / (K · n_c) for <see cref="ClassWeighting.Balanced"/>.</summary>
    public static float[] ClassWeights(TrainingData data, ClassWeighting mode)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counts = data.ClassCounts();
        return [.. counts.Select(n => mode == ClassWeighting.Balanced && n > 0 ? (float)data.TrainCount / (data.ClassCount * n) : 1f)];
    }

    private static void Fill(BatchBuffers batch, TrainingData data, ReadOnlySpan<int> rows, float[] classWeights, float dropout, Random random)
    {
        var d = data.Dimension;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            data.TrainEmbeddings.AsSpan(row * d, d).CopyTo(batch.Embeddings.AsSpan(i * d, d));
            batch.Labels[i] = data.TrainLabels[row];
            batch.Weights[i] = classWeights[data.TrainLabels[row]];
        }

        var keep = 1f / (1f - dropout);
        for (var i = 0; i < batch.DropoutMask.Length; i++)
        {
            batch.DropoutMask[i] = dropout > 0 && random.NextSingle() < dropout ? 0f : keep;
        }
    }
}
