using EdgeRuntime.Augmentation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>The augmented views training uses, embedded once and stored. Borrows the store and the engine from the workspace.</summary>
internal sealed class TrainingViewEmbedder(SampleStore store, EmbeddingEngine engine, CalibrationOptions options, ILogger logger)
{
    /// <summary>Embeds the missing augmented views of every training image once; later trainings reuse them.</summary>
    public void AugmentTrainingImages(TrainingSet set, CancellationToken cancellationToken)
    {
        var probe = new float[engine.Dimension];
        var entries = new List<EmbeddingEntry>();
        foreach (var id in set.Train.SampleIds.Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.GetSample(id) is not { } sample)
            {
                continue;
            }

            var missing = Enumerable.Range(1, options.AugmentedViews)
                .Where(v => !store.TryGetEmbedding(sample.ImageHash, engine.BackboneHash, v, probe))
                .ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            try
            {
                using var image = ImageDecoder.DecodeFile(store.GetImagePath(sample));
                foreach (var view in missing)
                {
                    using var augmented = ViewAugmenter.Apply(image, view);
                    entries.Add(new EmbeddingEntry(sample.ImageHash, view, engine.Embed(augmented)));
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
