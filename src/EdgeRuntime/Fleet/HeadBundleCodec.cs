using System.Security.Cryptography;
using System.Text.Json;
using EdgeRuntime.Heads;

namespace EdgeRuntime.Fleet;

/// <summary>Packs a stored head into a signed bundle, and opens one: size, framing, signature, schema, hashes, backbone.</summary>
public static class HeadBundleCodec
{
    /// <summary>Envelope magic of head bundles.</summary>
    public const string Magic = "ERHEADB1";

    /// <summary>Default size limit: a hidden-layer head over a 512-d embedding is well under 2 MB.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The bundle for head <paramref name="version"/> of the data directory, read without taking the registry's lock
    /// (the service may be running): files are verified against the version's manifest.
    /// </summary>
    public static HeadBundle FromDataDirectory(string dataDirectory, int version, long sequence, string keyId, string origin, DateTimeOffset now, string? note = null)
    {
        var directory = Path.Combine(dataDirectory, "heads", HeadFiles.DirectoryName(version));
        if (!Directory.Exists(directory))
        {
            throw new EdgeRuntimeException($"Head v{version} does not exist in '{dataDirectory}' (no {directory}).");
        }

        var head = HeadFiles.Load(version, directory);
        return FromLoadedHead(head, sequence, keyId, origin, now, note);
    }

    /// <summary>The bundle carrying <paramref name="head"/>'s files and manifest facts.</summary>
    public static HeadBundle FromLoadedHead(LoadedHead head, long sequence, string keyId, string origin, DateTimeOffset now, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        var m = head.Manifest;
        return new HeadBundle
        {
            BundleId = Guid.NewGuid().ToString("N"),
            Sequence = sequence,
            KeyId = keyId,
            CreatedUtc = now,
            Origin = origin,
            BackboneHash = m.BackboneHash,
            EmbeddingDimension = m.EmbeddingDimension,
            Labels = [.. m.Labels],
            HeadKind = m.HeadKind,
            UnknownThreshold = m.UnknownThreshold,
            FeatureTransform = m.TrainingSettings?.Clone(),
            PublisherMetrics = m.HoldoutMetrics,
            DatasetFingerprint = m.DatasetFingerprint,
            Novelty = m.Novelty,
            HeadOnnx = head.HeadOnnx.ToArray(),
            Checkpoint = head.Checkpoint.ToArray(),
            HeadOnnxSha256 = m.HeadOnnxSha256,
            CheckpointSha256 = m.CheckpointSha256,
            Note = note,
        };
    }

    /// <summary>The bundle of a head that exists only in memory (the pooled head of <see cref="FleetAggregator"/>).</summary>
    public static HeadBundle FromFewShotHead(FewShot.FewShotHead head, IReadOnlyList<string> labels, string backboneHash, double unknownThreshold,
        long sequence, string keyId, string origin, DateTimeOffset now, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        var model = head.ToInferenceModel();
        var checkpoint = head.ToCheckpoint();
        return new HeadBundle
        {
            BundleId = Guid.NewGuid().ToString("N"),
            Sequence = sequence,
            KeyId = keyId,
            CreatedUtc = now,
            Origin = origin,
            BackboneHash = backboneHash,
            EmbeddingDimension = head.Dimension,
            Labels = [.. labels],
            HeadKind = head.Family.ToString(),
            UnknownThreshold = unknownThreshold,
            FeatureTransform = JsonSerializer.SerializeToElement(new { transform = head.Transform.Kind, family = head.Family, federated = true }, HeadBundle.Json),
            DatasetFingerprint = "federated:" + HeadFiles.Sha256(checkpoint)[..16],
            HeadOnnx = model,
            Checkpoint = checkpoint,
            HeadOnnxSha256 = HeadFiles.Sha256(model),
            CheckpointSha256 = HeadFiles.Sha256(checkpoint),
            Note = note,
        };
    }

    /// <summary>The signed wire form of <paramref name="bundle"/>.</summary>
    public static byte[] Seal(HeadBundle bundle, ECDsa privateKey) =>
        SignedEnvelope.Seal(Magic, JsonSerializer.SerializeToUtf8Bytes(bundle, HeadBundle.Json), privateKey);

    /// <summary>
    /// Verifies and parses a bundle meant for a device running <paramref name="backboneHash"/>; replay is the ledger's
    /// concern (<see cref="BundleLedger"/>).
    /// </summary>
    /// <exception cref="FleetMessageRefusedException">Why it is refused.</exception>
    public static HeadBundle Open(ReadOnlyMemory<byte> message, ECDsa publicKey, string backboneHash, int embeddingDimension, long maxBytes = DefaultMaxBytes)
    {
        var payload = SignedEnvelope.Open(Magic, message, publicKey, maxBytes);
        var bundle = Parse(payload);
        if (!string.Equals(bundle.BackboneHash, backboneHash, StringComparison.Ordinal) || bundle.EmbeddingDimension != embeddingDimension)
        {
            throw new FleetMessageRefusedException(FleetRefusal.WrongBackbone,
                $"Bundle {bundle.BundleId} is for backbone {bundle.BackboneHash} ({bundle.EmbeddingDimension}-d); this device runs {backboneHash} ({embeddingDimension}-d).");
        }

        return bundle;
    }

    private static HeadBundle Parse(ReadOnlyMemory<byte> payload)
    {
        int schema;
        try
        {
            using var document = JsonDocument.Parse(payload);
            schema = document.RootElement.TryGetProperty("schema", out var s) && s.TryGetInt32(out var v) ? v : 0;
        }
        catch (JsonException ex)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Malformed, "The signed payload is not JSON: " + ex.Message, ex);
        }

        if (schema != HeadBundle.CurrentSchema)
        {
            throw new FleetMessageRefusedException(FleetRefusal.UnsupportedSchema, $"Bundle schema {schema} is not supported; this device reads schema {HeadBundle.CurrentSchema}.");
        }

        HeadBundle bundle;
        try
        {
            bundle = JsonSerializer.Deserialize<HeadBundle>(payload.Span, HeadBundle.Json)
                ?? throw new FleetMessageRefusedException(FleetRefusal.Malformed, "The signed payload is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Malformed, "The signed payload is not a head bundle: " + ex.Message, ex);
        }

        Check(bundle);
        return bundle;
    }

    private static void Check(HeadBundle bundle)
    {
        string? problem = bundle switch
        {
            { HeadOnnx.Length: 0 } => "head.onnx is empty",
            _ when HeadFiles.Sha256(bundle.HeadOnnx) != bundle.HeadOnnxSha256 => "head.onnx does not match its SHA-256",
            _ when HeadFiles.Sha256(bundle.Checkpoint) != bundle.CheckpointSha256 => "checkpoint.bin does not match its SHA-256",
            { Labels.Count: < 2 } => "a head needs at least two labels",
            _ when bundle.Labels.Distinct(StringComparer.Ordinal).Count() != bundle.Labels.Count || bundle.Labels.Any(string.IsNullOrWhiteSpace) => "labels are blank or repeated",
            { EmbeddingDimension: <= 0 } => "the embedding dimension is not positive",
            _ when !double.IsFinite(bundle.UnknownThreshold) || bundle.UnknownThreshold is < 0 or > 1 => "the unknown threshold is not within 0..1",
            _ when string.IsNullOrWhiteSpace(bundle.BundleId) || bundle.BundleId.Length > 64 => "the bundle id is blank or too long",
            { Sequence: <= 0 } => "the sequence is not positive",
            _ => null,
        };
        if (problem is not null)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"Bundle {bundle.BundleId} is unusable: {problem}.");
        }
    }
}
