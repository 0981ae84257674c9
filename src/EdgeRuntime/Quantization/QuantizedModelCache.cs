using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeRuntime.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Quantized backbones in the data directory (backbones/int8), one entry per fp32 backbone hash and calibration-set
/// fingerprint. The model is written first and a sidecar naming its SHA-256 last, both atomically, so an entry
/// exists only once complete; at load the model's hash must match the sidecar or the entry is refused and deleted.
/// A run whose parity failed is kept too (its report says so), so the same images are not quantized again.
/// </summary>
public sealed class QuantizedModelCache
{
    public const string FolderName = "backbones/int8";
    /// <summary>Entries kept: a model is ~12 MB, and only the current backbone and calibration set matter.</summary>
    public const int Kept = 3;

    private const int Format = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly IFileSystem _fileSystem;
    private readonly ILogger _logger;

    public QuantizedModelCache(string dataDirectory, ILogger logger, IFileSystem? fileSystem = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Directory = Path.Combine(Path.GetFullPath(dataDirectory), FolderName);
        (_logger, _fileSystem) = (logger, fileSystem ?? DiskFileSystem.Instance);
    }

    public string Directory { get; }

    public static string Key(string backboneHash, string fingerprint) => $"{backboneHash[..Math.Min(16, backboneHash.Length)]}-{fingerprint[..Math.Min(16, fingerprint.Length)]}";

    public string ModelPath(string backboneHash, string fingerprint) => Path.Combine(Directory, Key(backboneHash, fingerprint) + ".onnx");

    /// <summary>Stores a run (model and report), then keeps only the newest <see cref="Kept"/> entries.</summary>
    public void Save(QuantizedBackbone quantized)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        System.IO.Directory.CreateDirectory(Directory);
        var report = quantized.Report;
        var model = ModelPath(report.BackboneHash, report.CalibrationFingerprint);
        if (quantized.TensorRtCalibrationTable is { } table)
        {
            var tablePath = TensorRtTablePath(model);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(tablePath)!);
            AtomicFile.Replace(_fileSystem, tablePath, System.Text.Encoding.ASCII.GetBytes(table));
        }

        AtomicFile.Replace(_fileSystem, model, quantized.Model);
        var sha = Convert.ToHexStringLower(SHA256.HashData(quantized.Model));

        var sidecar = new CacheSidecar(Format, report.BackboneHash, report.CalibrationFingerprint, sha, report);
        AtomicFile.Replace(_fileSystem, Path.ChangeExtension(model, ".json"), JsonSerializer.SerializeToUtf8Bytes(sidecar, Json));
        foreach (var old in new DirectoryInfo(Directory).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept))
        {
            AtomicFile.TryDelete(Path.ChangeExtension(old.FullName, ".onnx"));
            AtomicFile.TryDelete(old.FullName);
            TryDeleteDirectory(Path.ChangeExtension(old.FullName, ".tensorrt"));
        }
    }

    /// <summary>The entry for exactly this backbone and calibration set, verified; null when there is none or it was refused.</summary>
    public QuantizedModelCacheEntry? Load(string backboneHash, string fingerprint) =>
        Read(Path.ChangeExtension(ModelPath(backboneHash, fingerprint), ".json"), backboneHash, fingerprint);

    /// <summary>
    /// The newest verified entry for this backbone, passed parity when <paramref name="requirePassed"/>. The
    /// calibration set keeps growing as samples are added; a model calibrated on an earlier set stays valid until
    /// someone quantizes again (<c>edgeruntime quantize</c>), which creates a new entry.
    /// </summary>
    public QuantizedModelCacheEntry? LoadLatest(string backboneHash, bool requirePassed)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        var prefix = Key(backboneHash, "");
        foreach (var sidecar in new DirectoryInfo(Directory).EnumerateFiles(prefix + "*.json").OrderByDescending(f => f.LastWriteTimeUtc))
        {
            if (Read(sidecar.FullName, backboneHash, null) is { } entry && (entry.Report.Passed || !requirePassed))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Deletes leftovers of interrupted writes (temp files) and models without a sidecar.</summary>
    public int DeleteIncomplete()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        int deleted = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            bool orphan = file.EndsWith(".onnx", StringComparison.Ordinal) && !File.Exists(Path.ChangeExtension(file, ".json"));
            if (Path.GetFileName(file).Contains(AtomicFile.TempMarker, StringComparison.Ordinal) || orphan)
            {
                AtomicFile.TryDelete(file);
                deleted++;
            }
        }

        return deleted;
    }

    private QuantizedModelCacheEntry? Read(string sidecarPath, string backboneHash, string? fingerprint)
    {
        if (!File.Exists(sidecarPath))
        {
            return null;
        }

        var modelPath = Path.ChangeExtension(sidecarPath, ".onnx");
        CacheSidecar? sidecar;
        try
        {
            sidecar = JsonSerializer.Deserialize<CacheSidecar>(File.ReadAllBytes(sidecarPath), Json);
        }
        catch (JsonException ex)
        {
            return Refuse(sidecarPath, modelPath, $"its sidecar is not valid JSON ({ex.Message})");
        }

        if (sidecar is null || sidecar.Format != Format || sidecar.Report is null)
        {
            return Refuse(sidecarPath, modelPath, "its sidecar is empty or of an unknown format");
        }

        if (sidecar.BackboneHash != backboneHash || (fingerprint is not null && sidecar.CalibrationFingerprint != fingerprint))
        {
            return Refuse(sidecarPath, modelPath, "its sidecar names a different backbone or calibration set");
        }

        if (sidecar.ModelSha256 is null)
        {
            return Refuse(sidecarPath, modelPath, "its sidecar names no model hash");
        }

        byte[] model;
        try
        {
            model = File.ReadAllBytes(modelPath);
        }
        catch (IOException ex)
        {
            return Refuse(sidecarPath, modelPath, $"its model cannot be read ({ex.Message})");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(model));
        return sha == sidecar.ModelSha256
            ? new QuantizedModelCacheEntry(sidecar.Report, model, File.Exists(TensorRtTablePath(modelPath)) ? TensorRtTablePath(modelPath) : null)
            : Refuse(sidecarPath, modelPath, $"the model's SHA-256 {sha[..12]}… does not match the recorded {sidecar.ModelSha256[..Math.Min(12, sidecar.ModelSha256.Length)]}…");
    }

    /// <summary>TensorRT reads its calibration table from its engine cache directory: one directory per entry.</summary>
    private static string TensorRtTablePath(string modelPath) =>
        Path.Combine(Path.ChangeExtension(modelPath, ".tensorrt"), Execution.TensorRtCalibrationTable.FileName);

    private QuantizedModelCacheEntry? Refuse(string sidecarPath, string modelPath, string reason)
    {
        _logger.LogWarning("Cached int8 backbone {Path} refused and deleted, it will be rebuilt: {Reason}", modelPath, reason);
        AtomicFile.TryDelete(modelPath);
        AtomicFile.TryDelete(sidecarPath);
        TryDeleteDirectory(Path.ChangeExtension(modelPath, ".tensorrt"));
        return null;
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Deleted with the next entry instead.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record CacheSidecar(int Format, string BackboneHash, string CalibrationFingerprint, string? ModelSha256, QuantizationReport? Report);
}
