using EdgeRuntime.Calibration;
using EdgeRuntime.Samples;

namespace DeviceHost.Tests.Cli;

/// <summary>What a data directory must look like after any crash: nothing half-written is visible.</summary>
public static class DataDirectoryCheck
{
    /// <summary>
    /// Opens the directory (running recovery) and asserts: every sample row has its image file, no image file lacks a
    /// row, every sample has an embedding once the missing ones are re-computed, and the active head (if any) loads
    /// without falling back and classifies a stored sample.
    /// </summary>
    public static DataDirectoryState AssertConsistent(CliCrashFixture fixture, string dataDirectory, string context)
    {
        using var workspace = fixture.Open(dataDirectory);
        var samples = workspace.Store.ListRecent(0, 1000);
        foreach (var sample in samples)
        {
            Assert.True(File.Exists(workspace.Store.GetImagePath(sample)), $"{context}: sample {sample.Id} has no image file");
        }

        var imageFiles = Directory.EnumerateFiles(Path.Combine(dataDirectory, SampleStore.ImagesFolderName), "*", SearchOption.AllDirectories).ToList();
        Assert.True(imageFiles.Count == samples.Count, $"{context}: {imageFiles.Count} image files but {samples.Count} sample rows");

        int reEmbedded = workspace.EnsureEmbeddings();
        var backbone = fixture.Backbone.Engine.BackboneHash;
        Assert.Empty(workspace.Store.ListSamplesMissingEmbedding(backbone));

        // No half-written version is ever listed: every one loads and matches its manifest.
        var heads = workspace.Registry.List();
        foreach (var version in heads)
        {
            workspace.Registry.Load(version.Version);
        }

        int? active = workspace.Registry.ActiveVersion;
        if (active is not null)
        {
            using var head = workspace.LoadActiveClassifier(out var problems);
            Assert.True(problems.Count == 0, $"{context}: {string.Join("; ", problems)}");
            Assert.NotNull(head);
            Assert.Equal(active, head.Version);
            var embedding = new float[fixture.Backbone.Engine.Dimension];
            var sample = samples[0];
            Assert.True(workspace.Store.TryGetEmbedding(sample.ImageHash, backbone, 0, embedding));
            var prediction = head.Classify(embedding, 3, DateTimeOffset.UnixEpoch, TimeSpan.Zero);
            Assert.Contains(prediction.TopK[0].Label, head.Labels);
        }

        return new DataDirectoryState(samples.Count, active, heads.Count, reEmbedded, workspace.Store.OpenReport);
    }
}
