using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.Tests.Samples;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Imaging;

/// <summary>The one sniffer reads sizes from headers, so bombs are refused before anything decodes them.</summary>
public sealed class ImageHeaderTests
{
    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void The_size_is_read_from_the_header_of_every_decodable_format(string extension)
    {
        using var mat = new Mat(23, 37, MatType.CV_8UC3, Scalar.All(90));
        var bytes = SyntheticImages.Encode(mat, extension);

        Assert.True(ImageFormats.TryReadSize(bytes, out int width, out int height));
        Assert.Equal((37, 23), (width, height));
    }

    [Fact]
    public void A_lossless_webp_gives_its_true_size()
    {
        using var mat = new Mat(29, 41, MatType.CV_8UC3, Scalar.All(10));
        Cv2.ImEncode(".webp", mat, out var lossless, [new ImageEncodingParam(ImwriteFlags.WebPQuality, 101)]);
        Assert.True(ImageFormats.TryReadSize(lossless, out int w, out int h));
        Assert.Equal((41, 29), (w, h));
    }

    [Fact]
    public void A_small_png_declaring_900_megapixels_is_refused_by_the_decoder_from_its_header()
    {
        var bomb = ImageBombs.Png(30000, 30000);
        Assert.True(bomb.Length < 200 * 1024, $"bomb is {bomb.Length} bytes");

        var ex = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(bomb, "bomb.png"));

        Assert.Equal((30000, 30000), (ex.Width, ex.Height));
        Assert.Contains("bomb.png", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FaultKind.TooLarge, ex.Fault);
    }

    [Fact]
    public void The_store_refuses_a_bomb_and_keeps_nothing()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);

        Assert.Throws<ImageTooLargeException>(() => store.Add(ImageBombs.JpegHeader(60000, 60000), "a", SampleSource.Upload));
        Assert.Throws<ImageTooLargeException>(() => store.Add(ImageBombs.Png(8000, 6000), "a", SampleSource.Upload));

        Assert.Empty(store.GetClassCounts());
        Assert.Empty(Directory.EnumerateFiles(dir.Combine(SampleStore.ImagesFolderName), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_header_that_does_not_state_a_size_is_refused_as_invalid()
    {
        byte[] signatureOnly = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

        Assert.False(ImageFormats.TryReadSize(signatureOnly, out _, out _));
        Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(signatureOnly, "x.png"));
    }
}
