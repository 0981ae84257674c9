namespace EdgeRuntime.TestSupport.Images;

/// <summary>Visually distinct kinds of generated picture; any backbone worth its weights separates them.</summary>
public enum ImageFamily
{
    Stripes,
    Blobs,
    Checker,
    Rings,

    /// <summary>Scattered filled triangles; with <see cref="Dots"/> the families novelty tests hold back as unseen objects.</summary>
    Triangles,

    /// <summary>A regular grid of small dots.</summary>
    Dots,
}
