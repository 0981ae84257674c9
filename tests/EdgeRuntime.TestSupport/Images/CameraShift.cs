using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// A generated "other camera": washed out (contrast and offset), tinted, blurred and noisy. Seeded noise; returns a
/// new matrix.
/// </summary>
public sealed record CameraShift(double Contrast, double Offset, double BlueGain, double RedGain, double BlurSigma, double NoiseSigma)
{
    /// <summary>The benchmark's hard case: a ResNet-18 head drops from about 80 % to under 20 % on fashion-mnist.</summary>
    public static readonly CameraShift Harsh = new(0.45, 90, 0.75, 1.3, 2.0, 12);

    /// <summary>A milder camera change, of the size issue 9 describes (90-95 % falling to 65-68 %).</summary>
    public static readonly CameraShift Mild = new(0.7, 45, 0.85, 1.15, 1.0, 6);

    /// <summary>The harsh shift (what the tests use).</summary>
    public static Mat Apply(Mat image, int seed) => Harsh.ApplyTo(image, seed);

    public Mat ApplyTo(Mat image, int seed)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shifted = new Mat();
        image.ConvertTo(shifted, MatType.CV_32FC3, Contrast, Offset);
        Cv2.Multiply(shifted, new Scalar(BlueGain, 1.0, RedGain), shifted);
        Cv2.GaussianBlur(shifted, shifted, new Size(0, 0), BlurSigma);
        using var noise = new Mat(shifted.Size(), MatType.CV_32FC3);
        Cv2.SetTheRNG((ulong)seed + 1);
        Cv2.Randn(noise, new Scalar(0, 0, 0), new Scalar(NoiseSigma, NoiseSigma, NoiseSigma));
        Cv2.Add(shifted, noise, shifted);
        var result = new Mat();
        shifted.ConvertTo(result, MatType.CV_8UC3);
        shifted.Dispose();
        return result;
    }
}
