using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Preprocessing;

public sealed class FramePreprocessorTests
{
    public static TheoryData<int, int, int, ResizeMode, TensorLayout, ChannelOrder> Cases => new()
    {
        { 640, 480, 3, ResizeMode.CenterCrop, TensorLayout.Nchw, ChannelOrder.Rgb },
        { 300, 500, 3, ResizeMode.CenterCrop, TensorLayout.Nchw, ChannelOrder.Bgr },
        { 224, 224, 3, ResizeMode.CenterCrop, TensorLayout.Nhwc, ChannelOrder.Rgb },
        { 100, 60, 1, ResizeMode.CenterCrop, TensorLayout.Nchw, ChannelOrder.Rgb },
        { 1280, 720, 4, ResizeMode.CenterCrop, TensorLayout.Nchw, ChannelOrder.Rgb },
        { 640, 480, 3, ResizeMode.Letterbox, TensorLayout.Nchw, ChannelOrder.Rgb },
        { 97, 211, 4, ResizeMode.Letterbox, TensorLayout.Nhwc, ChannelOrder.Bgr },
        { 50, 50, 1, ResizeMode.Letterbox, TensorLayout.Nchw, ChannelOrder.Rgb },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_a_float64_reference_for_every_size_layout_and_mode(int width, int height, int channels, ResizeMode mode, TensorLayout layout, ChannelOrder order)
    {
        var spec = new InputSpec { Name = "x", Width = 224, Height = 224, Layout = layout, ChannelOrder = order, Scale = 1f / 255, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };
        using var image = RandomImage(width, height, channels, seed: width + height + channels);
        var actual = new float[spec.ElementCount];
        new FramePreprocessor(spec, mode).Process(ImageView.Of(image), actual);

        var expected = ReferencePreprocessing.Run(image, spec, mode);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4, $"largest difference {worst}");
    }

    [Fact]
    public void Centre_crop_agrees_with_OpenCV_linear_resize_to_within_rounding()
    {
        var spec = new InputSpec { Name = "x", Width = 224, Height = 224, ChannelOrder = ChannelOrder.Bgr };
        using var image = RandomImage(640, 480, 3, seed: 7);
        using var roi = new Mat(image, new Rect(80, 0, 480, 480));
        using var resized = new Mat();
        Cv2.Resize(roi, resized, new Size(224, 224), 0, 0, InterpolationFlags.Linear);

        var actual = new float[spec.ElementCount];
        new FramePreprocessor(spec, ResizeMode.CenterCrop).Process(ImageView.Of(image), actual);

        double worst = 0;
        for (int y = 0; y < 224; y++)
        {
            for (int x = 0; x < 224; x++)
            {
                var px = resized.At<Vec3b>(y, x);
                for (int c = 0; c < 3; c++)
                {
                    worst = Math.Max(worst, Math.Abs(px[c] - actual[(c * 224 * 224) + (y * 224) + x]));
                }
            }
        }

        // OpenCV rounds to 8 bits with fixed-point weights; the engine keeps floats.
        Assert.True(worst <= 1.5, $"largest difference {worst} levels");
    }

    [Fact]
    public void A_destination_too_small_for_one_image_is_refused()
    {
        var spec = new InputSpec { Name = "x", Width = 32, Height = 32 };
        using var image = RandomImage(64, 64, 3, seed: 1);
        var small = new float[100];
        Assert.Throws<ArgumentException>(() => new FramePreprocessor(spec, ResizeMode.CenterCrop).Process(ImageView.Of(image), small));
    }

    internal static Mat RandomImage(int width, int height, int channels, int seed)
    {
        var mat = new Mat(height, width, MatType.CV_8UC(channels));
        var bytes = new byte[width * height * channels];
        new Random(seed).NextBytes(bytes);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, mat.Data, bytes.Length);

        // Smooth a little so bilinear sampling differences are not dominated by pure noise.
        Cv2.GaussianBlur(mat, mat, new Size(3, 3), 0);
        return mat;
    }
}
