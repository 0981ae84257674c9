using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Heads;

/// <summary>Names and verification of one version directory (<c>heads/v0007/</c>).</summary>
internal static class HeadFiles
{
    public const string HeadOnnx = "head.onnx";
    public const string Checkpoint = "checkpoint.bin";
    public const string Manifest = "manifest.json";

    public static string DirectoryName(int version) => "v" + version.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Parses "v0007" as 7; null for anything else (temp and trash directories included).</summary>
    public static int? ParseDirectoryName(string name) =>
        name.Length > 1 && name[0] == 'v' && name.Skip(1).All(char.IsAsciiDigit)
        && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : null;

    public static string Sha256(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static HeadManifest ReadManifest(int version, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CorruptHeadException(version, directory, "the version directory is missing");
        }

        string path = Path.Combine(directory, Manifest);
        HeadManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<HeadManifest>(File.ReadAllBytes(path), EvaluationJson.Options);
        }
        catch (FileNotFoundException)
        {
            throw new CorruptHeadException(version, path, "the manifest is missing");
        }
        catch (JsonException ex)
        {
            throw new CorruptHeadException(version, path, "the manifest is not valid JSON for a head manifest: " + ex.Message);
        }
        catch (IOException ex)
        {
            throw new CorruptHeadException(version, path, "the manifest cannot be read: " + ex.Message);
        }

        if (manifest is null)
        {
            throw new CorruptHeadException(version, path, "the manifest is empty (null)");
        }

        if (manifest.Version != version)
        {
            throw new CorruptHeadException(version, path, string.Create(CultureInfo.InvariantCulture, $"the manifest says version {manifest.Version}, not {version}"));
        }

        return manifest;
    }

    /// <summary>Reads and checks every file of the version; throws <see cref="CorruptHeadException"/> at the first problem.</summary>
    public static LoadedHead Load(int version, string directory)
    {
        var manifest = ReadManifest(version, directory);
        byte[] head = ReadVerified(version, Path.Combine(directory, HeadOnnx), manifest.HeadOnnxBytes, manifest.HeadOnnxSha256);
        byte[] checkpoint = ReadVerified(version, Path.Combine(directory, Checkpoint), manifest.CheckpointBytes, manifest.CheckpointSha256);
        return new LoadedHead(manifest, directory, head, checkpoint);
    }

    private static byte[] ReadVerified(int version, string path, long expectedBytes, string expectedSha256)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new CorruptHeadException(version, path, "the file is missing");
        }
        catch (IOException ex)
        {
            throw new CorruptHeadException(version, path, "the file cannot be read: " + ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CorruptHeadException(version, path, "the file cannot be read: " + ex.Message);
        }

        if (content.LongLength != expectedBytes)
        {
            string how = content.LongLength < expectedBytes ? "truncated" : "longer than written";
            throw new CorruptHeadException(version, path, string.Create(CultureInfo.InvariantCulture, $"the file is {content.LongLength} bytes but the manifest says {expectedBytes} ({how})"));
        }

        string actual = Sha256(content);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new CorruptHeadException(version, path, $"SHA-256 {actual} does not match the manifest's {expectedSha256}");
        }

        return content;
    }
}
