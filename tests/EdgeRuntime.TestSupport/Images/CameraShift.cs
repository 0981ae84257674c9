using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>A generated "other camera": washed out, tinted, blurred and noisy. Seeded noise; returns a new matrix.</summary>
public static class CameraShift
{
    public static Mat Apply(Mat image, int seed)
    {
        var shifted = new Mat();
        image.ConvertTo(shifted, MatType.CV_32FC3, 0.45, 90);
        Cv2.Multiply(shifted, new Scalar(0.75, 1.0, 1.3), shifted);
        Cv2.GaussianBlur(shifted, shifted, new Size(0, 0), 2.0);
        using var noise = new Mat(shifted.Size(), MatType.CV_32FC3);
        Cv2.SetTheRNG((ulong)seed + 1);
        Cv2.Randn(noise, new Scalar(0, 0, 0), new Scalar(12, 12, 12));
        Cv2.Add(shifted, noise, shifted);
        var result = new Mat();
        shifted.ConvertTo(result, MatType.CV_8UC3);
        shifted.Dispose();
        return result;
    }
}
