namespace EdgeRuntime.Adaptation;

/// <summary>Embeddings of a folder's unlabelled images for <c>adapt</c>.</summary>
/// <param name="Embeddings">Row-major raw embeddings of the images that decoded.</param>
/// <param name="Failures">Files that could not be embedded, with the reason.</param>
/// <param name="Found">Images in the folder.</param>
/// <param name="Selected">Images chosen to embed (at most <see cref="AdaptationOptions.MaxImages"/>, evenly spaced).</param>
public sealed record FolderFrames(float[] Embeddings, IReadOnlyList<string> Failures, int Found, int Selected);
