using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport.Time;
using System.Text.Json;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Heads;

/// <summary>Registries and payloads for head registry tests.</summary>
internal static class TestHeads
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public static HeadRegistry Open(TestDirectory data, IFileSystem? fileSystem = null, TimeProvider? time = null) =>
        new(data.Path, NullLogger<HeadRegistry>.Instance, time ?? new ManualTimeProvider(Start), fileSystem);

    /// <summary>A payload with seeded random model and checkpoint bytes of the given sizes.</summary>
    public static HeadPayload Payload(int seed, int headBytes = 512, int checkpointBytes = 1024, string[]? labels = null)
    {
        var random = new Random(seed);
        var head = new byte[headBytes];
        var checkpoint = new byte[checkpointBytes];
        random.NextBytes(head);
        random.NextBytes(checkpoint);
        labels ??= ["ok", "scratch"];
        return new HeadPayload
        {
            HeadOnnx = head,
            Checkpoint = checkpoint,
            Labels = labels,
            HeadKind = "linear",
            EmbeddingDimension = 512,
            TrainingSettings = JsonSerializer.SerializeToElement(new { epochs = 30, learningRate = 0.01 }),
            DatasetFingerprint = "ds-" + seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BackboneHash = "resnet18-abc",
            HoldoutMetrics = ClassificationMetrics.Compute([0, 1, 1], [0, 1, -1], labels[..2]),
            UnknownThreshold = 0.6,
            Trigger = new HeadTrigger { Source = HeadTriggerSource.Gpio, Note = "button on line 3" },
            Gate = new GateDecision { Outcome = GateOutcome.Activate, Reason = "first head", Tolerance = 0.02 },
        };
    }

    /// <summary>Adds <paramref name="count"/> versions (seeds 1..count) and returns their numbers.</summary>
    public static int[] AddMany(HeadRegistry registry, int count) =>
        [.. Enumerable.Range(1, count).Select(seed => registry.Add(Payload(seed)).Version)];

    /// <summary>Flips one byte in the middle of a version's file, as bit rot or a bad flash write would.</summary>
    public static string FlipByte(HeadRegistry registry, int version, string file)
    {
        string path = Path.Combine(registry.HeadsDirectory, $"v{version:D4}", file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Entries of the heads directory that are leftovers of interrupted writes.</summary>
    public static string[] Leftovers(HeadRegistry registry) =>
        [.. Directory.EnumerateFileSystemEntries(registry.HeadsDirectory).Where(e => Path.GetFileName(e).Contains(".tmp-", StringComparison.Ordinal))];
}
