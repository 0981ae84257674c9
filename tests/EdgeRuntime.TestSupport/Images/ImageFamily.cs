namespace EdgeRuntime.TestSupport.Images;

/// <summary>Visually distinct kinds of generated picture; any backbone worth its weights separates them.</summary>
public enum ImageFamily
{
    Stripes,
    Blobs,
    Checker,
    Rings,
}
