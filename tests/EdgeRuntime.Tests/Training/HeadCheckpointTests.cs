using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Training;

public sealed class HeadCheckpointTests
{
    private static readonly Lazy<TrainedHead> Head = new(() =>
        new HeadTrainer(GraphRunner.Factory, NullLogger<HeadTrainer>.Instance).Train(
            TrainingDataFactory.Clusters(seed: 3, train: 60, holdout: 20, dimension: 6, classes: 3, spread: 0.5),
            new TrainingSettings { HeadKind = HeadKind.Hidden, HiddenSize = 5, Epochs = 3, EarlyStoppingPatience = 0 }));

    [Fact]
    public void A_checkpoint_round_trips_parameters_optimizer_state_and_history()
    {
        var restored = TrainedHead.FromCheckpoint(Head.Value.ToCheckpoint());

        Assert.Equal(Head.Value.Shape, restored.Shape);
        Assert.Equal(Head.Value.BestEpoch, restored.BestEpoch);
        Assert.Equal(Head.Value.History, restored.History);
        Assert.Equal(Head.Value.Optimizer.Step, restored.Optimizer.Step);
        for (var i = 0; i < restored.Parameters.Count; i++)
        {
            Assert.Equal(Head.Value.Parameters[i], restored.Parameters[i]);
            Assert.Equal(Head.Value.Optimizer.FirstMoments[i], restored.Optimizer.FirstMoments[i]);
            Assert.Equal(Head.Value.Optimizer.SecondMoments[i], restored.Optimizer.SecondMoments[i]);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1)]
    public void A_truncated_checkpoint_is_refused_as_truncated(int missingBytes)
    {
        var bytes = Head.Value.ToCheckpoint();

        var ex = Assert.Throws<EdgeRuntimeException>(() => TrainedHead.FromCheckpoint(bytes[..^missingBytes]));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupted_checkpoint_is_refused_by_its_hash()
    {
        var bytes = Head.Value.ToCheckpoint();
        bytes[100] ^= 0x40;

        var ex = Assert.Throws<EdgeRuntimeException>(() => TrainedHead.FromCheckpoint(bytes));

        Assert.Contains("SHA-256 does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused_by_its_magic()
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => TrainedHead.FromCheckpoint(new byte[200]));

        Assert.Contains("ERHEADCK", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_with_an_impossible_shape_is_refused_before_reading_tensors()
    {
        var bytes = Head.Value.ToCheckpoint();
        bytes[20] = 1; // K = 1 class
        bytes[21] = bytes[22] = bytes[23] = 0;

        var ex = Assert.Throws<EdgeRuntimeException>(() => TrainedHead.FromCheckpoint(bytes));

        Assert.Contains("invalid head", ex.Message, StringComparison.Ordinal);
    }
}
