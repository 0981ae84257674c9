using EdgeRuntime.Embeddings;
using EdgeRuntime.Interop;
using EdgeRuntime.Samples;

namespace EdgeRuntime.Calibration;

/// <summary>Imports an ImageFolder layout into the store with embeddings. Borrows the store and the engine from the workspace.</summary>
internal sealed class SampleImporter(SampleStore store, EmbeddingEngine engine)
{
    private static readonly HashSet<string> ImageFileExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    /// <summary>
    /// Imports an ImageFolder layout (folder/&lt;label&gt;/*.jpg|png|bmp|webp). Bad files, bad labels and empty class
    /// folders are listed and skipped; everything else is stored with its embedding. Each chunk of images is stored
    /// (hashing, durable writes) while the backbone embeds the next, so the import runs at nearly backbone speed.
    /// </summary>
    /// <param name="progress">Receives the number of image files handled (stored, duplicate or refused) so far.</param>
    /// <exception cref="EdgeRuntimeException">The folder is missing or holds no class folder with images.</exception>
    public ImportResult Import(string folder, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"Import folder '{folder}' does not exist.");
        }

        var failures = new List<ImageFailure>();
        var files = new List<(string Path, string Label)>();
        foreach (var dir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(dir);
            if (!SampleLabels.TryNormalize(label, out var normalized, out var reason))
            {
                failures.Add(new ImageFailure(dir, $"folder name is not a valid label: {reason}"));
                continue;
            }

            var images = ImageFilesIn(dir);
            if (images.Count == 0)
            {
                // An empty class folder is almost always a mistake (wrong folder copied); say so rather than skip silently.
                failures.Add(new ImageFailure(dir, $"class folder '{label}' has no images (.jpg, .jpeg, .png, .bmp, .webp); the class was not imported"));
                continue;
            }

            files.AddRange(images.Select(f => (f, normalized)));
        }

        if (files.Count == 0)
        {
            string found = failures.Count == 0 ? string.Empty : " Found: " + string.Join("; ", failures.Select(f => $"{f.Name}: {f.Reason}"));
            throw new EdgeRuntimeException($"Import folder '{folder}' has no <label>/ sub-folders with images (ImageFolder layout: {folder}/<label>/*.jpg).{found}");
        }

        var labels = files.ToDictionary(f => f.Path, f => f.Label, StringComparer.Ordinal);
        int chunkSize = 4 * engine.Info.MaxBatchSize, added = 0, duplicates = 0, handled = 0;
        var storing = Task.FromResult(new ChunkResult(0, 0, []));
        try
        {
            for (int start = 0; start < files.Count; start += chunkSize)
            {
                var chunk = files.GetRange(start, Math.Min(chunkSize, files.Count - start)).Select(f => f.Path).ToList();
                var embedded = engine.EmbedFiles(chunk, null, cancellationToken);
                Collect(storing.GetAwaiter().GetResult());
                failures.AddRange(embedded.Failed);
                handled += embedded.Failed.Count;

                // One chunk is written at a time and in order; only the backbone runs alongside it.
                storing = PoolWork.Run(() => StoreChunk(embedded.Succeeded, labels, cancellationToken));
            }
        }
        finally
        {
            // Never return (or let the caller dispose the store) while a chunk is still being written.
            Collect(storing.GetAwaiter().GetResult());
        }

        return new ImportResult(added, duplicates, failures);

        void Collect(ChunkResult result)
        {
            added += result.Added;
            duplicates += result.Duplicates;
            failures.AddRange(result.Failures);
            handled += result.Added + result.Duplicates + result.Failures.Count;
            progress?.Report(handled);
        }
    }

    /// <summary>
    /// Stores a chunk's images one by one, then their embeddings in one transaction (one fsync instead of one per image).
    /// A crash in between leaves images without embeddings, which <see cref="SampleIntake.EnsureEmbeddings"/> fills in before training.
    /// </summary>
    private ChunkResult StoreChunk(IReadOnlyList<EmbeddedImage> images, Dictionary<string, string> labels, CancellationToken cancellationToken)
    {
        int added = 0, duplicates = 0;
        var failures = new List<ImageFailure>();
        var pending = new List<(EmbeddedImage Image, AddSampleResult Result)>();
        var probe = new float[engine.Dimension];
        foreach (var item in images)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                failures.Add(new ImageFailure(item.Name, "import cancelled before this image was stored"));
                continue;
            }

            try
            {
                // The backbone just decoded these bytes and made the embedding: both are known good.
                var result = store.Add(File.ReadAllBytes(item.Name), labels[item.Name], SampleSource.Import);
                if (!result.IsDuplicate || !store.TryGetEmbedding(result.Sample.ImageHash, engine.BackboneHash, 0, probe))
                {
                    pending.Add((item, result));
                }

                added += result.IsDuplicate ? 0 : 1;
                duplicates += result.IsDuplicate ? 1 : 0;
            }
            catch (EdgeRuntimeException ex)
            {
                failures.Add(new ImageFailure(item.Name, ex.Message));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add(new ImageFailure(item.Name, ex.Message));
            }
        }

        try
        {
            store.PutEmbeddings(engine.BackboneHash, [.. pending.Select(p => new EmbeddingEntry(p.Result.Sample.ImageHash, 0, p.Image.Embedding))]);
        }
        catch (EdgeRuntimeException ex)
        {
            // All or none: take back this chunk's new samples, so no import is reported added without its embedding.
            foreach (var (image, result) in pending)
            {
                if (result.IsDuplicate)
                {
                    duplicates--;
                }
                else
                {
                    store.DeleteSample(result.Sample.Id);
                    added--;
                }

                failures.Add(new ImageFailure(image.Name, "its embedding could not be stored: " + ex.Message));
            }
        }

        return new ChunkResult(added, duplicates, failures);
    }

    internal static List<string> ImageFilesIn(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => ImageFileExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)];

    private sealed record ChunkResult(int Added, int Duplicates, List<ImageFailure> Failures);
}
