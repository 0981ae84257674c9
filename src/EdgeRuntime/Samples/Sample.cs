using EdgeRuntime.Imaging;

namespace EdgeRuntime.Samples;

/// <summary>One stored sample: a labeled image. The image file is named by <see cref="ImageHash"/>.</summary>
/// <param name="Id">Row id, stable for the sample's life.</param>
/// <param name="Label">Class label (validated, trimmed).</param>
/// <param name="Source">Where it came from.</param>
/// <param name="CapturedAt">Capture time, UTC.</param>
/// <param name="ImageHash">Lower-case hex SHA-256 of the image bytes; unique in the store.</param>
/// <param name="Format">Sniffed image format (decides the file extension).</param>
/// <param name="Split">Train or holdout; assigned once on add.</param>
/// <param name="ImageLength">Image size in bytes.</param>
public sealed record Sample(
    long Id,
    string Label,
    SampleSource Source,
    DateTimeOffset CapturedAt,
    string ImageHash,
    ImageFormat Format,
    SampleSplit Split,
    long ImageLength);
