using System.Security.Cryptography;
using System.Text;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using OpenCvSharp;

namespace EdgeRuntime.Quantization;

/// <summary>
/// The real images scales are calibrated from: the device's stored samples, or frames taken from the live source.
/// Held as files or encoded bytes (never as decoded frames, which would pin hundreds of megabytes) and ordered by
/// content hash, so the same images give the same split and the same <see cref="Fingerprint"/> in any order.
/// </summary>
public sealed class CalibrationImageSet
{
    private readonly List<(string Hash, string? Path, byte[]? Encoded)> _images;

    private CalibrationImageSet(string origin, IEnumerable<(string Hash, string? Path, byte[]? Encoded)> images)
    {
        Origin = origin;
        _images = [.. images.DistinctBy(i => i.Hash, StringComparer.Ordinal).OrderBy(i => i.Hash, StringComparer.Ordinal)];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var image in _images)
        {
            sha.AppendData(Encoding.ASCII.GetBytes(image.Hash));
        }

        Fingerprint = Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>"samples" or "live".</summary>
    public string Origin { get; }

    public int Count => _images.Count;

    /// <summary>SHA-256 over the sorted content hashes: a different set of images gives a different quantized model.</summary>
    public string Fingerprint { get; }

    /// <summary>Stored sample images: (file, content hash) pairs.</summary>
    public static CalibrationImageSet FromFiles(IEnumerable<(string Path, string Hash)> files, string origin = "samples") =>
        new(origin, files.Select(f => (f.Hash, (string?)f.Path, (byte[]?)null)));

    /// <summary>Encoded images (frames from the live source, uploads); hashed here.</summary>
    public static CalibrationImageSet FromEncoded(IEnumerable<byte[]> images, string origin = "live") =>
        new(origin, images.Select(b => (ContentHash.Of(b), (string?)null, (byte[]?)b)));

    /// <summary>The first <paramref name="count"/> images in hash order (a stable subset when there are more than needed).</summary>
    public CalibrationImageSet Take(int count) => count >= Count ? this : new(Origin, _images.Take(count));

    /// <summary>Decodes image <paramref name="index"/>; the caller owns the frame.</summary>
    /// <exception cref="InvalidImageException">The image is not usable.</exception>
    public Mat Load(int index)
    {
        var (hash, path, encoded) = _images[index];
        return path is not null ? ImageDecoder.DecodeFile(path) : ImageDecoder.Decode(encoded, hash[..12]);
    }
}
