namespace EdgeRuntime.Drift;

/// <summary>Cheap image statistics of one frame, from a fixed grid of sampled pixels (see <see cref="ImageHealth"/>).</summary>
/// <param name="Brightness">Mean grey level, 0..255.</param>
/// <param name="Contrast">Standard deviation of the grey level.</param>
/// <param name="Sharpness">Variance of the 4-neighbour Laplacian of the grey level at the sampled pixels.</param>
/// <param name="Change">Mean absolute grey difference to the previous frame's samples; NaN for the first frame.</param>
public readonly record struct FrameHealth(float Brightness, float Contrast, float Sharpness, float Change);
