using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Tests.Training;
using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.FewShot;

public sealed class FewShotHeadExportTests
{
    private const int D = 12;
    private const int K = 3;
    private static readonly FewShotSamples Data = FewShotData.Clusters(seed: 9, count: 45, dimension: D, classes: K, spread: 0.9);
    private static readonly FewShotSamples Probe = FewShotData.Clusters(seed: 10, count: 15, dimension: D, classes: K, spread: 0.9);
    private static readonly FewShotTrainer Trainer = new(GraphRunner.Factory) { SoftmaxSteps = 20, HiddenSize = 8, Seed = 1 };

    public static TheoryData<HeadFamily, FeatureTransformKind> Variants()
    {
        var data = new TheoryData<HeadFamily, FeatureTransformKind>();
        foreach (var family in Enum.GetValues<HeadFamily>())
        {
            data.Add(family, FeatureTransformKind.PowerCenteredL2);
        }

        data.Add(HeadFamily.Ensemble, FeatureTransformKind.None);
        data.Add(HeadFamily.Discriminant, FeatureTransformKind.L2);
        data.Add(HeadFamily.Linear, FeatureTransformKind.CenteredL2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_exported_ONNX_head_gives_the_engines_probabilities(HeadFamily family, FeatureTransformKind transform)
    {
        var head = Trainer.Fit(Data, new Recipe(transform, family, 1e-3f, Shrinkage.Oas, Augmentation.ViewKinds.None));

        var onnx = Run(head.ToInferenceModel(), Probe.Embeddings);

        var engine = head.Probabilities(Probe.Embeddings);
        Assert.Equal(engine.Length, onnx.Length);
        for (var i = 0; i < engine.Length; i++)
        {
            Assert.Equal(engine[i], onnx[i], 1e-4);
        }
    }

    [Fact]
    public void The_engines_probabilities_match_a_float64_reference_of_transform_and_parts()
    {
        var head = Trainer.Fit(Data, new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Ensemble, 1e-3f, Shrinkage.Oas, Augmentation.ViewKinds.None));
        var mean = head.Transform.ReferenceMean.Select(v => (double)v).ToArray();

        var engine = head.Probabilities(Probe.Embeddings);

        for (var n = 0; n < Probe.Count; n++)
        {
            var f = FewShotReference.Transform("PowerCenteredL2", FewShotData.Row(Probe.Embeddings, n, D), mean);
            var expected = new double[K];
            foreach (var part in head.Parts)
            {
                var logits = Enumerable.Range(0, K).Select(c => part.Parameters[1][c] + Enumerable.Range(0, D).Sum(j => f[j] * part.Parameters[0][(j * K) + c])).ToArray();
                var p = FewShotReference.Softmax(logits);
                for (var c = 0; c < K; c++)
                {
                    expected[c] += p[c] / 2;
                }
            }

            for (var c = 0; c < K; c++)
            {
                Assert.Equal(expected[c], engine[(n * K) + c], 1e-9);
            }
        }
    }

    [Fact]
    public void Replacing_the_reference_mean_in_the_stored_ONNX_equals_re_centring_the_head()
    {
        var head = Trainer.Fit(Data, new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Discriminant, 0, Shrinkage.Oas, Augmentation.ViewKinds.None));
        var fieldMean = head.Transform.ReferenceMeanOf(Probe.Embeddings);

        var retargeted = FeatureTransform.ReplaceReferenceMean(head.ToInferenceModel(), fieldMean);

        var expected = head.WithReferenceMean(fieldMean).Probabilities(Probe.Embeddings);
        var actual = Run(retargeted, Probe.Embeddings);
        Assert.NotEqual(head.Probabilities(Probe.Embeddings)[0], expected[0], 6);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4);
        }
    }

    [Fact]
    public void A_folded_feature_map_equals_mapping_the_features_before_the_head()
    {
        var head = Trainer.Fit(Data, new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Ensemble, 1e-3f, Shrinkage.Oas, Augmentation.ViewKinds.None));
        var random = new Random(3);
        var a = Enumerable.Range(0, D * D).Select(i => (i % (D + 1) == 0 ? 1 : 0) + (0.1 * (random.NextDouble() - 0.5))).ToArray();
        var c = Enumerable.Range(0, D).Select(_ => 0.05 * (random.NextDouble() - 0.5)).ToArray();

        var folded = head.WithFeatureMap(a, c).Probabilities(Probe.Embeddings);

        var features = head.Transform.ApplyAll(Probe.Embeddings);
        var mapped = new double[features.Length];
        for (var n = 0; n < Probe.Count; n++)
        {
            for (var i = 0; i < D; i++)
            {
                mapped[(n * D) + i] = c[i] + Enumerable.Range(0, D).Sum(j => a[(i * D) + j] * features[(n * D) + j]);
            }
        }

        var expected = head.Parts.Select(p => FewShotHead.PartProbabilities(p, mapped, Probe.Count)).ToList();
        for (var i = 0; i < folded.Length; i++)
        {
            Assert.Equal((expected[0][i] + expected[1][i]) / 2, folded[i], 1e-5);
        }
    }

    [Fact]
    public void A_checkpoint_round_trips_and_a_corrupt_one_is_refused()
    {
        var head = Trainer.Fit(Data, new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Ensemble, 1e-3f, Shrinkage.Oas, Augmentation.ViewKinds.None));
        var bytes = head.ToCheckpoint();

        var read = FewShotHeadCheckpoint.Read(bytes);
        bytes[^40] ^= 1;

        Assert.Equal(head.Probabilities(Probe.Embeddings), read.Probabilities(Probe.Embeddings));
        Assert.Equal(HeadFamily.Ensemble, read.Family);
        Assert.Contains("SHA-256", Assert.Throws<EdgeRuntimeException>(() => FewShotHeadCheckpoint.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_head_uses_only_ops_valid_at_opset_8_and_names_its_reference_mean()
    {
        var head = Trainer.Fit(Data, new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Ensemble, 1e-3f, Shrinkage.Oas, Augmentation.ViewKinds.None));

        var model = FewShotHeadBuilder.Build(head);

        Assert.Equal(8, model.OpsetImport.Single().Version);
        Assert.Contains(model.Graph.Initializer, i => i.Name == FeatureTransform.ReferenceMeanName);
        Assert.All(model.Graph.Node, n => Assert.Contains(n.OpType, new[] { "MatMul", "Add", "Softmax", "Sqrt", "Relu", "Neg", "Sub", "Div", "Max", "ReduceL2", "Constant", "Mul" }));
    }

    private static float[] Run(byte[] model, float[] embeddings) =>
        (float[])GraphRunner.Run(model, new Dictionary<string, (Array, long[])> { [InferenceHeadBuilder.InputName] = (embeddings, [embeddings.Length / D, D]) }, InferenceHeadBuilder.OutputName)[InferenceHeadBuilder.OutputName];
}
