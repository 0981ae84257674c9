using System.Globalization;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Single samples into the store with their embeddings, and the embeddings stored images still lack. Borrows the
/// store and the engine from the workspace.
/// </summary>
internal sealed class SampleIntake(SampleStore store, EmbeddingEngine engine, ILogger logger)
{
    /// <summary>
    /// Embeds stored images that have no embedding for the current backbone: after a backbone change, or after a
    /// crash between storing an image and its embedding. Returns how many were embedded.
    /// </summary>
    public int EnsureEmbeddings(CancellationToken cancellationToken)
    {
        var missing = store.ListSamplesMissingEmbedding(engine.BackboneHash);
        if (missing.Count == 0)
        {
            return 0;
        }

        logger.LogInformation("Embedding {Count} stored images for backbone {Backbone}", missing.Count, engine.BackboneHash);
        var paths = missing.Select(store.GetImagePath).ToList();
        var result = engine.EmbedFiles(paths, null, cancellationToken);
        var byPath = missing.ToDictionary(store.GetImagePath, s => s.ImageHash, StringComparer.Ordinal);
        store.PutEmbeddings(engine.BackboneHash, [.. result.Succeeded.Select(e => new EmbeddingEntry(byPath[e.Name], 0, e.Embedding))], skipDeletedImages: true);
        foreach (var failure in result.Failed)
        {
            logger.LogWarning("Stored image {Path} could not be embedded: {Reason}", failure.Name, failure.Reason);
        }

        return result.Succeeded.Count;
    }

    /// <summary>See <see cref="CalibrationWorkspace.AddSample"/>.</summary>
    public AddSampleResult AddSample(byte[] image, string label, SampleSource source, string name, float[]? embedding, DateTimeOffset? capturedAt)
    {
        ArgumentNullException.ThrowIfNull(image);
        var normalized = SampleLabels.Normalize(label);
        if (embedding is null)
        {
            embedding = engine.EmbedImage(image, name);
        }
        else
        {
            CheckEmbedding(embedding, name);
            using var check = ImageDecoder.Decode(image, name);
        }

        return StoreSample(image, normalized, source, embedding, capturedAt);
    }

    /// <summary>Stores a sample whose label, image and embedding are already validated.</summary>
    private AddSampleResult StoreSample(byte[] image, string normalized, SampleSource source, float[] embedding, DateTimeOffset? capturedAt)
    {
        var added = store.Add(image, normalized, source, capturedAt);
        if (added.IsDuplicate && store.TryGetEmbedding(added.Sample.ImageHash, engine.BackboneHash, 0, new float[engine.Dimension]))
        {
            return added;
        }

        try
        {
            store.PutEmbedding(added.Sample.ImageHash, engine.BackboneHash, 0, embedding);
        }
        catch (Exception) when (!added.IsDuplicate)
        {
            // The caller is told the add failed, so the sample must not linger without its embedding.
            store.DeleteSample(added.Sample.Id);
            throw;
        }

        return added;
    }

    private void CheckEmbedding(float[] embedding, string name)
    {
        if (embedding.Length != engine.Dimension)
        {
            throw new InvalidEmbeddingException(string.Create(CultureInfo.InvariantCulture,
                $"The embedding given for '{name}' has {embedding.Length} values; backbone {engine.Info.Name} makes {engine.Dimension}. Nothing was stored."));
        }

        int bad = Array.FindIndex(embedding, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidEmbeddingException(string.Create(CultureInfo.InvariantCulture,
                $"The embedding given for '{name}' has {embedding[bad]} at index {bad}; embeddings must be finite. Nothing was stored."));
        }
    }
}
