using EdgeRuntime.TestSupport;
using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Training;

/// <summary>Builds seeded <see cref="TrainingData"/> from <see cref="EmbeddingGenerator"/> clusters.</summary>
internal static class TrainingDataFactory
{
    public static TrainingData Clusters(int seed, int train, int holdout, int dimension, int classes, double spread, double centreScale = 1.0)
    {
        var (t, h) = EmbeddingGenerator.TrainAndHoldout(seed, train, holdout, dimension, classes, spread, centreScale);
        return new TrainingData(t.Embeddings, t.Labels, h.Embeddings, h.Labels, dimension, classes);
    }
}
