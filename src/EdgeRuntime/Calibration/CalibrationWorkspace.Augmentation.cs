using EdgeRuntime.Augmentation;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

public sealed partial class CalibrationWorkspace
{
    /// <summary>Embeds the missing augmented views of every training image once; later trainings reuse them.</summary>
    private void AugmentTrainingImages(TrainingSet set, CancellationToken cancellationToken)
    {
        var probe = new float[_engine.Dimension];
        var entries = new List<EmbeddingEntry>();
        foreach (var id in set.Train.SampleIds.Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Store.GetSample(id) is not { } sample)
            {
                continue;
            }

            var missing = Enumerable.Range(1, _options.AugmentedViews)
                .Where(v => !Store.TryGetEmbedding(sample.ImageHash, _engine.BackboneHash, v, probe))
                .ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            try
            {
                using var image = ImageDecoder.DecodeFile(Store.GetImagePath(sample));
                foreach (var view in missing)
                {
                    using var augmented = ViewAugmenter.Apply(image, view);
                    entries.Add(new EmbeddingEntry(sample.ImageHash, view, _engine.Embed(augmented)));
                }
            }
            catch (InvalidImageException ex)
            {
                _logger.LogWarning("Sample {Id} cannot be augmented: {Reason}", id, ex.Message);
            }
        }

        if (entries.Count > 0)
        {
            Store.PutEmbeddings(_engine.BackboneHash, entries);
            _logger.LogInformation("Embedded {Count} augmented views of training images", entries.Count);
        }
    }
}
