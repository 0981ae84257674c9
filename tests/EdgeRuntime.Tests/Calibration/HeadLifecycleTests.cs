using EdgeRuntime.Calibration;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>The evaluation gate, forcing, rollback, a corrupt stored head and a full disk, through the workspace.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class HeadLifecycleTests(CalibrationFixture fixture)
{
    [Fact]
    public void A_head_trained_on_shuffled_labels_is_kept_by_the_gate_until_forced_and_rollback_restores_exact_predictions()
    {
        using var data = new TestDirectory("calibration-gate");
        var probes = fixture.Samples.Take(6).Select(s => s.Embedding).ToList();
        using (var first = fixture.Open(data))
        {
            fixture.AddAll(first);
            Assert.True(first.Train(new TrainRequest()).Activated);
        }

        // Reopened with a tiny holdout share so the relabelled copies all land in Train: the holdout stays truthful.
        var options = CalibrationFixture.FastOptions();
        options.HoldoutShare = 1e-12;
        using var workspace = fixture.Open(data, options);
        var before = Probabilities(workspace, probes, out int goodVersion);
        var (kept, relabelled) = ShuffleTrainingLabels(workspace, seed: 5);
        Assert.True(kept * 2 < relabelled, $"the shuffle kept {kept} of {relabelled} labels");

        var refused = workspace.Train(new TrainRequest { Note = "shuffled" });

        Assert.False(refused.Activated);
        Assert.Equal(GateOutcome.Keep, refused.Gate.Outcome);
        Assert.Equal(goodVersion, refused.ActiveVersion);
        Assert.Contains("below active v" + goodVersion, refused.Gate.Reason, StringComparison.Ordinal);
        Assert.True(refused.Metrics!.Accuracy < refused.ActiveMetrics!.Accuracy - options.GateTolerance, $"{refused.Metrics.Accuracy} vs {refused.ActiveMetrics.Accuracy}");
        Assert.Equal(goodVersion, workspace.Registry.ActiveVersion);
        var stored = workspace.Registry.Get(refused.Version).Manifest;
        Assert.Equal((GateOutcome.Keep, false), (stored.Gate.Outcome, stored.Gate.Forced));
        Assert.Equal(before, Probabilities(workspace, probes, out int stillActive));
        Assert.Equal(goodVersion, stillActive);

        var forced = workspace.Train(new TrainRequest { Force = true, Note = "technician insists" });

        Assert.True(forced.Activated);
        Assert.True(forced.Gate.Forced);
        Assert.StartsWith("forced (the gate would have kept the active head)", forced.Gate.Reason, StringComparison.Ordinal);
        Assert.Equal(forced.Version, workspace.Registry.ActiveVersion);
        Assert.True(workspace.Registry.Get(forced.Version).Manifest.Gate.Forced);
        var activation = workspace.Registry.History[^1];
        Assert.Equal((forced.Version, ActivationKind.Activate, true), (activation.Version, activation.Kind, activation.Forced));
        Assert.NotEqual(before, Probabilities(workspace, probes, out _));

        var rollback = workspace.Registry.Rollback("shuffled head is wrong");

        Assert.Equal((goodVersion, ActivationKind.Rollback), (rollback.Version, rollback.Kind));
        Assert.Equal(before, Probabilities(workspace, probes, out int restored));
        Assert.Equal(goodVersion, restored);
    }

    [Fact]
    public void A_corrupt_active_head_is_refused_with_its_path_and_the_previous_version_still_predicts()
    {
        using var data = new TestDirectory("calibration-corrupt");
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);
        var v1 = workspace.Train(new TrainRequest());
        var v2 = workspace.Train(new TrainRequest { Note = "same data, same accuracy" });
        Assert.True(v2.Activated, v2.Gate.Reason);
        string headFile = Path.Combine(workspace.Registry.HeadsDirectory, "v0002", "head.onnx");
        FlipByte(headFile);

        using var classifier = workspace.LoadActiveClassifier(out var problems);
        var predictions = workspace.Predict([fixture.Samples[0].Path, fixture.Samples[^1].Path], topK: 1);

        Assert.Equal(v1.Version, classifier!.Version);
        Assert.Equal(2, problems.Count);
        Assert.Contains(headFile, problems[0], StringComparison.Ordinal);
        Assert.Contains("SHA-256", problems[0], StringComparison.Ordinal);
        Assert.Contains("running v1 instead", problems[1], StringComparison.Ordinal);
        Assert.Equal(2, workspace.Registry.ActiveVersion);
        Assert.All(predictions, p => Assert.Equal(v1.Version, p.Prediction!.HeadVersion));
        Assert.Equal([fixture.Samples[0].Label, fixture.Samples[^1].Label], predictions.Select(p => p.Prediction!.Label));
    }

    [Fact]
    public void Training_on_a_full_disk_fails_clearly_and_the_previous_head_stays_active_and_loadable()
    {
        using var data = new TestDirectory("calibration-full");
        var disk = new SpaceLimitedFileSystem(long.MaxValue);
        using var workspace = fixture.Open(data, fileSystem: disk);
        fixture.AddAll(workspace);
        var first = workspace.Train(new TrainRequest());
        disk.FreeBytes = 100;

        var ex = Assert.Throws<EdgeRuntimeException>(() => workspace.Train(new TrainRequest { Force = true }));

        Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the active head is unchanged", ex.Message, StringComparison.Ordinal);
        Assert.False(workspace.IsTraining);
        Assert.Equal(first.Version, workspace.Registry.ActiveVersion);
        Assert.Equal([first.Version], workspace.Registry.List().Select(v => v.Version));
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace.Registry.HeadsDirectory, ".tmp-*"));
        using var classifier = workspace.LoadActiveClassifier(out var problems);
        Assert.Empty(problems);
        Assert.Equal(first.Version, classifier!.Version);

        disk.FreeBytes = long.MaxValue;
        Assert.Equal(first.Version + 1, workspace.Train(new TrainRequest()).Version);
    }

    /// <summary>Relabels every training sample with a seeded shuffle of the training labels; returns how many kept their label, of how many.</summary>
    private (int Kept, int Relabelled) ShuffleTrainingLabels(CalibrationWorkspace workspace, int seed)
    {
        var engine = fixture.Backbone.Engine;
        var set = workspace.Store.LoadTrainingSet(engine.BackboneHash);
        var samples = set.Train.SampleIds.Select(id => workspace.Store.GetSample(id)!).ToList();
        var labels = samples.Select(s => s.Label).ToArray();
        new Random(seed).Shuffle(labels);
        int kept = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            var embedding = new float[engine.Dimension];
            Assert.True(workspace.Store.TryGetEmbedding(samples[i].ImageHash, engine.BackboneHash, 0, embedding));

            // Same pixels in another encoding: new bytes, so the store takes it as a new sample; same embedding.
            using var image = Cv2.ImDecode(workspace.Store.ReadImage(samples[i].Id), ImreadModes.Color);
            var added = workspace.AddSample(SyntheticImages.Encode(image, ".bmp"), labels[i], SampleSource.Import, "relabelled.bmp", embedding);
            Assert.Equal(SampleSplit.Train, added.Sample.Split);
            kept += string.Equals(labels[i], samples[i].Label, StringComparison.Ordinal) ? 1 : 0;
        }

        // Deleting after adding: every class keeps training samples, so no holdout sample is moved.
        foreach (var sample in samples)
        {
            Assert.True(workspace.Store.DeleteSample(sample.Id));
        }

        return (kept, samples.Count);
    }

    private static List<float[]> Probabilities(CalibrationWorkspace workspace, IReadOnlyList<float[]> embeddings, out int version)
    {
        using HeadClassifier head = workspace.LoadActiveClassifier(out _)!;
        version = head.Version;
        return [.. embeddings.Select(e =>
        {
            var p = new float[head.Labels.Count];
            head.Probabilities(e, p);
            return p;
        })];
    }

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
