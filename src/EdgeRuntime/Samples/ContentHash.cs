using System.Security.Cryptography;

namespace EdgeRuntime.Samples;

/// <summary>Lower-case hex SHA-256, the name of an image in the store.</summary>
internal static class ContentHash
{
    public const int HexLength = SHA256.HashSizeInBytes * 2;

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    public static bool IsWellFormed(string? hash) =>
        hash is { Length: HexLength } && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
