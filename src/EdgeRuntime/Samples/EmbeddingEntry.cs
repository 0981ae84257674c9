namespace EdgeRuntime.Samples;

/// <summary>One embedding to store with <see cref="SampleStore.PutEmbeddings"/>.</summary>
/// <param name="ImageHash">The sample's <see cref="Sample.ImageHash"/>.</param>
/// <param name="View">0 for the original image, &gt; 0 for an augmentation index.</param>
/// <param name="Vector">The embedding; every value must be finite.</param>
public readonly record struct EmbeddingEntry(string ImageHash, int View, ReadOnlyMemory<float> Vector);
