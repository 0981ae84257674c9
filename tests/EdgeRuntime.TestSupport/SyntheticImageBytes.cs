namespace EdgeRuntime.TestSupport;

/// <summary>
/// Distinct byte strings that carry a real image signature and size header (64x48) but random content: enough for
/// code that sniffs, measures and hashes images without decoding them (the sample store). Seeded, so the same seed
/// gives the same bytes.
/// </summary>
public static class SyntheticImageBytes
{
    // SOI, then a baseline frame header (SOF0, 8-bit, height 48, width 64, 3 components).
    private static readonly byte[] JpegHeader = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03];

    // Signature, then IHDR (length 13) with width 64 and height 48.
    private static readonly byte[] PngHeader =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x30];

    public static byte[] Jpeg(int seed, int length = 256) => WithHeader(JpegHeader, seed, length);

    public static byte[] Png(int seed, int length = 256) => WithHeader(PngHeader, seed, length);

    private static byte[] WithHeader(byte[] header, int seed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, header.Length + 8);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        header.CopyTo(bytes, 0);
        return bytes;
    }
}
