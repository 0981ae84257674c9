using EdgeRuntime.Training;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;

namespace EdgeRuntime.Tests.Training;

public sealed class InferenceHeadTests
{
    private static readonly TrainingData Data = TrainingDataFactory.Clusters(seed: 8, train: 90, holdout: 30, dimension: 6, classes: 3, spread: 0.7);

    public static TheoryData<HeadKind, long, long> Variants => new()
    {
        { HeadKind.Linear, 8, 3 },
        { HeadKind.Hidden, 8, 3 },
        { HeadKind.Linear, 21, 10 },
        { HeadKind.Hidden, 13, 7 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_inference_head_gives_the_probabilities_of_the_evaluation_graph(HeadKind kind, long opset, long irVersion)
    {
        var head = Train(kind);
        var (_, expected, _) = HeadTrainerTests.Evaluate(head, Data);

        var actual = RunHead(head.ToInferenceModel(opset, irVersion), Data.HoldoutEmbeddings, Data.HoldoutCount);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 6);
        }
    }

    [Fact]
    public void The_inference_head_defaults_to_opset_8_and_IR_3_with_the_agreed_names()
    {
        var model = ModelProto.Parser.ParseFrom(Train(HeadKind.Linear).ToInferenceModel());

        Assert.Equal(3, model.IrVersion);
        Assert.Equal(8, model.OpsetImport.Single().Version);
        Assert.Equal(InferenceHeadBuilder.InputName, model.Graph.Input[0].Name);
        Assert.Equal("probabilities", model.Graph.Output.Single().Name);
        Assert.All(model.Graph.Node, n => Assert.Contains(n.OpType, new[] { "MatMul", "Add", "Relu", "Softmax" }));
    }

    [Fact]
    public void An_unsupported_opset_is_refused()
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => Train(HeadKind.Linear).ToInferenceModel(opset: 7));

        Assert.Contains("opset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_merged_behind_a_backbone_tensor_gives_the_same_probabilities_as_the_head_alone()
    {
        var head = Train(HeadKind.Hidden);
        var backbone = TinyBackbone(Data.Dimension);
        var headModel = InferenceHeadBuilder.Build(head.Shape, head.Parameters);

        var output = HeadGraphMerger.MergeInto(backbone.Graph, headModel.Graph, "features");
        var images = Enumerable.Range(0, 4 * 3).Select(i => ((i * 7) % 11 / 5f) - 1f).ToArray();
        var merged = GraphRunner.Run(backbone.ToByteArray(), new Dictionary<string, (Array, long[])> { ["data"] = (images, [4, 3]) }, output, "features");

        var alone = RunHead(head.ToInferenceModel(), (float[])merged["features"], 4);
        Assert.Equal(alone, (float[])merged[output]);
        Assert.Contains(backbone.Graph.Initializer, i => i.Name == "head/W1");
        Assert.Contains(backbone.Graph.Input, i => i.Name == "head/W1");
    }

    [Fact]
    public void Merging_into_a_graph_without_the_named_tensor_is_refused_with_its_name()
    {
        var head = Train(HeadKind.Linear);
        var backbone = TinyBackbone(Data.Dimension);

        var ex = Assert.Throws<EdgeRuntimeException>(() => HeadGraphMerger.MergeInto(backbone.Graph, InferenceHeadBuilder.Build(head.Shape, head.Parameters).Graph, "pool5"));

        Assert.Contains("'pool5'", ex.Message, StringComparison.Ordinal);
    }

    private static TrainedHead Train(HeadKind kind) =>
        new HeadTrainer(GraphRunner.Factory, NullLogger<HeadTrainer>.Instance).Train(
            Data, new TrainingSettings { HeadKind = kind, HiddenSize = 8, Epochs = 4, Seed = 2, EarlyStoppingPatience = 0 });

    private static float[] RunHead(byte[] model, float[] embeddings, int count) =>
        (float[])GraphRunner.Run(model, new Dictionary<string, (Array, long[])> { [InferenceHeadBuilder.InputName] = (embeddings, [count, embeddings.Length / count]) }, InferenceHeadBuilder.OutputName)[InferenceHeadBuilder.OutputName];

    /// <summary>An opset-8, IR-3 stand-in for ResNet-18: data [N,3] → features = relu(data·P) [N,D], P listed as an input as IR 3 requires.</summary>
    private static ModelProto TinyBackbone(int dimension)
    {
        var g = new GraphWriter("backbone");
        g.Input("data", GraphWriter.FloatType, "N", 3L);
        var projection = Enumerable.Range(0, 3 * dimension).Select(i => ((i % 5) - 2) * 0.4f).ToArray();
        g.Initializer("P", projection, 3, dimension);
        g.Input("P", GraphWriter.FloatType, 3L, (long)dimension);
        g.OpWith("Relu", [g.Op("MatMul", "data", "P")], [], "features");
        g.Output("features", GraphWriter.FloatType, "N", (long)dimension);
        return GraphWriter.Model(g.Graph, irVersion: 3, opset: 8);
    }
}
