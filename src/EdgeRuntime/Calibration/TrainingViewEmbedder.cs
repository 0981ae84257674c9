using EdgeRuntime.Augmentation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// The augmented views training uses: one view per enabled kind (<see cref="KindViewAugmenter"/>) of every sample,
/// embedded once and stored under <see cref="KindViewAugmenter.ViewId"/>. Borrows the store and the engine.
/// </summary>
internal sealed class TrainingViewEmbedder(SampleStore store, EmbeddingEngine engine, ILogger logger)
{
    /// <summary>Embeds the missing views of <paramref name="kinds"/> for every sample of <paramref name="set"/>; later trainings reuse them.</summary>
    public void AugmentTrainingImages(TrainingSet set, ViewKinds kinds, CancellationToken cancellationToken)
    {
        var probe = new float[engine.Dimension];
        var wanted = KindViewAugmenter.Kinds.Where(k => (kinds & k) != 0).ToList();
        var entries = new List<EmbeddingEntry>();
        foreach (var id in set.Train.SampleIds.Concat(set.Holdout.SampleIds).Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.GetSample(id) is not { } sample)
            {
                continue;
            }

            var missing = wanted.Where(k => !store.TryGetEmbedding(sample.ImageHash, engine.BackboneHash, KindViewAugmenter.ViewId(k), probe)).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            try
            {
                using var image = ImageDecoder.DecodeFile(store.GetImagePath(sample));
                foreach (var kind in missing)
                {
                    using var augmented = KindViewAugmenter.Apply(image, kind);
                    entries.Add(new EmbeddingEntry(sample.ImageHash, KindViewAugmenter.ViewId(kind), engine.Embed(augmented)));
                }
            }
            catch (InvalidImageException ex)
            {
                logger.LogWarning("Sample {Id} cannot be augmented: {Reason}", id, ex.Message);
            }
        }

        if (entries.Count > 0)
        {
            store.PutEmbeddings(engine.BackboneHash, entries, skipDeletedImages: true);
            logger.LogInformation("Embedded {Count} augmented views of training images", entries.Count);
        }
    }
}
