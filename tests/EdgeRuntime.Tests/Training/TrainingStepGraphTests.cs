using EdgeRuntime.TestSupport;
using EdgeRuntime.Training;
using N = EdgeRuntime.Training.TrainingGraphNames;

namespace EdgeRuntime.Tests.Training;

public sealed class TrainingStepGraphTests
{
    private const int Batch = 6;
    private const float Smoothing = 0.1f;

    public static TheoryData<HeadKind> Kinds => [HeadKind.Linear, HeadKind.Hidden];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_step_graph_gradients_equal_finite_differences_of_a_float64_loss_with_smoothing_and_class_weights(HeadKind kind)
    {
        var step = new StepCase(kind, seed: 11);
        var outputs = step.Run(exposeGradients: true, t: 1f, lr: 0f, wd: 0f);

        var reference = step.ParametersAsDouble();
        double Loss(double[][] p) => ReferenceHead.Loss(step.Shape, p, step.X, step.Labels, step.Weights, step.Mask, Smoothing);
        var numeric = ReferenceHead.NumericGradient(reference, Loss);

        Assert.Equal(Loss(reference), ((float[])outputs[N.Loss])[0], 5);
        for (var t = 0; t < step.Shape.ParameterNames.Count; t++)
        {
            var graph = (float[])outputs[N.Gradient(step.Shape.ParameterNames[t])];
            Assert.Equal(numeric[t].Length, graph.Length);
            for (var j = 0; j < graph.Length; j++)
            {
                var tolerance = 2e-5 + (1e-3 * Math.Abs(numeric[t][j]));
                Assert.True(Math.Abs(graph[j] - numeric[t][j]) <= tolerance, $"{step.Shape.ParameterNames[t]}[{j}]: graph {graph[j]}, finite difference {numeric[t][j]}");
            }

            Assert.Contains(numeric[t], g => Math.Abs(g) > 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void One_AdamW_step_equals_a_float64_reference_update(HeadKind kind)
    {
        var step = new StepCase(kind, seed: 5);
        const float T = 3f, Lr = 0.01f, Wd = 0.05f, B1 = 0.9f, B2 = 0.999f, Eps = 1e-8f;
        var outputs = step.Run(exposeGradients: false, t: T, lr: Lr, wd: Wd, beta1: B1, beta2: B2, eps: Eps);

        var reference = step.ParametersAsDouble();
        var gradient = ReferenceHead.NumericGradient(reference, p => ReferenceHead.Loss(step.Shape, p, step.X, step.Labels, step.Weights, step.Mask, Smoothing));
        for (var t = 0; t < reference.Length; t++)
        {
            var name = step.Shape.ParameterNames[t];
            var newP = (float[])outputs[N.Updated(name)];
            var newM = (float[])outputs[N.Updated(N.FirstMoment(name))];
            var newV = (float[])outputs[N.Updated(N.SecondMoment(name))];
            for (var j = 0; j < reference[t].Length; j++)
            {
                var (p, m, v) = ReferenceHead.AdamW(step.Parameters[t][j], gradient[t][j], step.M[t][j], step.V[t][j], T, Lr, B1, B2, Eps, Wd, HeadShape.IsDecayed(t));
                AssertClose(p, newP[j], $"{name}[{j}]");
                AssertClose(m, newM[j], $"m_{name}[{j}]");
                AssertClose(v, newV[j], $"v_{name}[{j}]");
            }
        }
    }

    [Fact]
    public void Biases_are_not_decayed_but_weights_are()
    {
        var step = new StepCase(HeadKind.Linear, seed: 2);
        var withDecay = step.Run(false, t: 1f, lr: 0.1f, wd: 0.5f);
        var without = step.Run(false, t: 1f, lr: 0.1f, wd: 0f);

        Assert.Equal((float[])without[N.Updated("b")], (float[])withDecay[N.Updated("b")]);
        Assert.NotEqual((float[])without[N.Updated("W")], (float[])withDecay[N.Updated("W")]);
    }

    private static void AssertClose(double expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= (1e-5 * Math.Abs(expected)) + 1e-9, $"{what}: expected {expected}, graph {actual}");

    /// <summary>Random inputs for one step, with unequal class weights and a fixed dropout mask containing zeros.</summary>
    private sealed class StepCase
    {
        public StepCase(HeadKind kind, int seed)
        {
            Shape = new HeadShape(kind, dimension: 5, classCount: 4, hiddenSize: 7);
            var random = new Random(seed);
            float Next(double scale) => (float)(EmbeddingGenerator.Normal(random) * scale);
            X = [.. Enumerable.Range(0, Batch * Shape.Dimension).Select(_ => Next(1))];
            Labels = [.. Enumerable.Range(0, Batch).Select(i => (long)(i % Shape.ClassCount))];
            Weights = [.. Enumerable.Range(0, Batch).Select(i => 0.5f + (i % 3 * 0.75f))];
            const float Keep = 1f / (1f - 0.25f);
            Mask = [.. Enumerable.Range(0, Batch * Shape.HiddenSize).Select(i => i % 4 == 1 ? 0f : Keep)];
            Parameters = [.. Enumerable.Range(0, Shape.ParameterNames.Count).Select(t => Enumerable.Range(0, Shape.ParameterLength(t)).Select(_ => Next(0.5)).ToArray())];
            M = [.. Parameters.Select(p => p.Select(_ => Next(0.01)).ToArray())];
            V = [.. Parameters.Select(p => p.Select(_ => Math.Abs(Next(0.001))).ToArray())];
        }

        public HeadShape Shape { get; }

        public float[] X { get; }

        public long[] Labels { get; }

        public float[] Weights { get; }

        public float[] Mask { get; }

        public float[][] Parameters { get; }

        public float[][] M { get; }

        public float[][] V { get; }

        public double[][] ParametersAsDouble() => [.. Parameters.Select(p => p.Select(v => (double)v).ToArray())];

        public Dictionary<string, Array> Run(bool exposeGradients, float t, float lr, float wd, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
        {
            var inputs = new Dictionary<string, (Array, long[])>(StringComparer.Ordinal)
            {
                [N.Embeddings] = (X, [Batch, Shape.Dimension]),
                [N.Labels] = (Labels, [Batch]),
                [N.Weights] = (Weights, [Batch]),
                [N.Step] = (new[] { t }, [1]),
                [N.LearningRate] = (new[] { lr }, [1]),
                [N.Beta1] = (new[] { beta1 }, [1]),
                [N.Beta2] = (new[] { beta2 }, [1]),
                [N.Epsilon] = (new[] { eps }, [1]),
                [N.WeightDecay] = (new[] { wd }, [1]),
                [N.LabelSmoothing] = (new[] { Smoothing }, [1]),
            };
            if (Shape.Kind == HeadKind.Hidden)
            {
                inputs[N.DropoutMask] = (Mask, [Batch, Shape.HiddenSize]);
            }

            var outputs = new List<string> { N.Loss };
            for (var i = 0; i < Shape.ParameterNames.Count; i++)
            {
                var name = Shape.ParameterNames[i];
                inputs[name] = (Parameters[i], Shape.ParameterDims(i));
                inputs[N.FirstMoment(name)] = (M[i], Shape.ParameterDims(i));
                inputs[N.SecondMoment(name)] = (V[i], Shape.ParameterDims(i));
                outputs.AddRange([N.Updated(name), N.Updated(N.FirstMoment(name)), N.Updated(N.SecondMoment(name))]);
                if (exposeGradients)
                {
                    outputs.Add(N.Gradient(name));
                }
            }

            return GraphRunner.Run(HeadGraphBuilder.BuildTrainingStep(Shape, exposeGradients), inputs, [.. outputs]);
        }
    }
}
