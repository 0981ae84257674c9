namespace EdgeRuntime.TestSupport;

/// <summary>
/// Distinct byte strings that carry a real image signature but random content: enough for code that sniffs and
/// hashes images without decoding them (the sample store). Seeded, so the same seed gives the same bytes.
/// </summary>
public static class SyntheticImageBytes
{
    public static byte[] Jpeg(int seed, int length = 256) => WithHeader([0xFF, 0xD8, 0xFF, 0xE0], seed, length);

    public static byte[] Png(int seed, int length = 256) => WithHeader([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], seed, length);

    private static byte[] WithHeader(byte[] header, int seed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, header.Length + 8);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        header.CopyTo(bytes, 0);
        return bytes;
    }
}
