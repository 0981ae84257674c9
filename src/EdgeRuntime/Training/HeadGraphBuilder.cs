using Google.Protobuf;
using Onnx;
using static EdgeRuntime.Training.GraphWriter;
using N = EdgeRuntime.Training.TrainingGraphNames;

namespace EdgeRuntime.Training;

/// <summary>
/// Builds the ONNX graphs of head training out of standard ai.onnx operators, so ONNX Runtime's inference API can
/// run them: one AdamW training step with a hand-derived backward pass, an evaluation graph, and the deployable
/// inference head. Training and evaluation graphs use IR 8 / opset 17; the batch dimension is symbolic.
/// Operators: MatMul, Gemm, Add, Sub, Mul, Div, Neg, Softmax, LogSoftmax, ReduceSum (axes as input), ArgMax, Relu,
/// Greater, Cast, Equal, Unsqueeze, Shape, Sqrt, Pow, Identity, Constant.
/// </summary>
public static class HeadGraphBuilder
{
    /// <summary>IR version of the training and evaluation graphs.</summary>
    public const long TrainingIrVersion = 8;

    /// <summary>Opset of the training and evaluation graphs.</summary>
    public const long TrainingOpset = 17;

    /// <summary>
    /// One training step. Inputs: X [B,D] float, labels [B] int64, weights [B] float (class weights folded in),
    /// dropout_mask [B,H] (hidden heads; 0 or 1/(1-p)), the parameters, m_/v_ per parameter, and float [1]
    /// hyper-parameters t (1-based step number of this update), lr, beta1, beta2, eps, weight_decay, label_smoothing.
    /// Outputs: new_&lt;param&gt;, new_m_&lt;param&gt;, new_v_&lt;param&gt;, loss [1] (smoothed, weighted, before the update),
    /// and with <paramref name="exposeGradients"/> also grad_&lt;param&gt; — the very tensors the update consumes.
    /// </summary>
    public static byte[] BuildTrainingStep(HeadShape shape, bool exposeGradients = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var g = new GraphWriter("head_training_step");
        long k = shape.ClassCount;
        AddDataInputs(g, shape, withTrainingInputs: true);
        foreach (var hyper in N.HyperParameters)
        {
            g.Input(hyper, FloatType, 1L);
        }

        var forward = Forward(g, shape, N.DropoutMask);
        var logProbabilities = g.OpWith("LogSoftmax", [forward.Logits], [Int("axis", 1)]);
        var probabilities = g.OpWith("Softmax", [forward.Logits], [Int("axis", 1)]);
        var oneHot = OneHot(g, k);

        // targets = (1 - eps) * onehot + eps / K
        var one = g.ConstFloat([1f], 1);
        var keep = g.Op("Sub", one, N.LabelSmoothing);
        var spread = g.Op("Div", N.LabelSmoothing, g.ConstFloat([k], 1));
        var targets = g.Op("Add", g.Op("Mul", oneHot, keep), spread);

        // loss = sum_i w_i * ce_i / sum_i w_i, with ce_i = -sum_k targets_ik * log p_ik
        var axis0 = g.ConstInt64([0], 1);
        var axis1 = g.ConstInt64([1], 1);
        var crossEntropy = g.Op("Neg", g.OpWith("ReduceSum", [g.Op("Mul", targets, logProbabilities), axis1], [Int("keepdims", 0)]));
        var weightSum = g.OpWith("ReduceSum", [N.Weights, axis0], [Int("keepdims", 1)]);
        var weightedSum = g.OpWith("ReduceSum", [g.Op("Mul", N.Weights, crossEntropy), axis0], [Int("keepdims", 1)]);
        g.OpWith("Div", [weightedSum, weightSum], [], N.Loss);
        g.Output(N.Loss, FloatType, 1L);

        // dL/dlogits = (softmax - targets) * w_i / sum w
        var rowScale = g.Op("Unsqueeze", g.Op("Div", N.Weights, weightSum), axis1);
        var dLogits = g.Op("Mul", g.Op("Sub", probabilities, targets), rowScale);
        var gradients = Backward(g, shape, forward, dLogits, axis0);

        for (var i = 0; i < gradients.Length; i++)
        {
            var name = shape.ParameterNames[i];
            var dims = shape.ParameterDims(i).Cast<object>().ToArray();
            AdamW(g, name, gradients[i], HeadShape.IsDecayed(i), one);
            g.Output(N.Updated(name), FloatType, dims);
            g.Output(N.Updated(N.FirstMoment(name)), FloatType, dims);
            g.Output(N.Updated(N.SecondMoment(name)), FloatType, dims);
            if (exposeGradients)
            {
                g.Rename(gradients[i], N.Gradient(name));
                g.Output(N.Gradient(name), FloatType, dims);
            }
        }

        return Model(g.Graph, TrainingIrVersion, TrainingOpset).ToByteArray();
    }

    /// <summary>
    /// Evaluation without dropout or smoothing. Inputs: X [N,D], labels [N] int64, the parameters. Outputs:
    /// loss [1] (mean cross-entropy), probabilities [N,K], predicted [N] int64.
    /// </summary>
    public static byte[] BuildEvaluation(HeadShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var g = new GraphWriter("head_evaluation");
        AddDataInputs(g, shape, withTrainingInputs: false);
        var logits = Forward(g, shape, dropoutMask: null).Logits;
        var logProbabilities = g.OpWith("LogSoftmax", [logits], [Int("axis", 1)]);
        g.OpWith("Softmax", [logits], [Int("axis", 1)], N.Probabilities);
        g.OpWith("ArgMax", [logits], [Int("axis", 1), Int("keepdims", 0)], N.Predicted);
        var nll = g.Op("Neg", g.OpWith("ReduceSum", [g.Op("Mul", OneHot(g, shape.ClassCount), logProbabilities), g.ConstInt64([1], 1)], [Int("keepdims", 0)]));
        var total = g.OpWith("ReduceSum", [nll, g.ConstInt64([0], 1)], [Int("keepdims", 1)]);
        var count = g.OpWith("Cast", [g.Op("Shape", N.Labels)], [Int("to", FloatType)]);
        g.OpWith("Div", [total, count], [], N.Loss);
        g.Output(N.Loss, FloatType, 1L);
        g.Output(N.Probabilities, FloatType, "N", (long)shape.ClassCount);
        g.Output(N.Predicted, Int64Type, "N");
        return Model(g.Graph, TrainingIrVersion, TrainingOpset).ToByteArray();
    }

    private static void AddDataInputs(GraphWriter g, HeadShape shape, bool withTrainingInputs)
    {
        g.Input(N.Embeddings, FloatType, "N", (long)shape.Dimension);
        g.Input(N.Labels, Int64Type, "N");
        if (withTrainingInputs)
        {
            g.Input(N.Weights, FloatType, "N");
            if (shape.Kind == HeadKind.Hidden)
            {
                g.Input(N.DropoutMask, FloatType, "N", (long)shape.HiddenSize);
            }
        }

        for (var i = 0; i < shape.ParameterNames.Count; i++)
        {
            var dims = shape.ParameterDims(i).Cast<object>().ToArray();
            g.Input(shape.ParameterNames[i], FloatType, dims);
            if (withTrainingInputs)
            {
                g.Input(N.FirstMoment(shape.ParameterNames[i]), FloatType, dims);
                g.Input(N.SecondMoment(shape.ParameterNames[i]), FloatType, dims);
            }
        }
    }

    /// <summary>Equal-based one-hot of the int64 labels: [N,1] == [K] broadcast to [N,K], as float.</summary>
    private static string OneHot(GraphWriter g, long classCount)
    {
        var classes = g.ConstInt64([.. Enumerable.Range(0, (int)classCount).Select(c => (long)c)], classCount);
        var column = g.Op("Unsqueeze", N.Labels, g.ConstInt64([1], 1));
        return g.OpWith("Cast", [g.Op("Equal", column, classes)], [Int("to", FloatType)]);
    }

    private static ForwardTensors Forward(GraphWriter g, HeadShape shape, string? dropoutMask)
    {
        if (shape.Kind == HeadKind.Linear)
        {
            return new ForwardTensors(g.Op("Add", g.Op("MatMul", N.Embeddings, "W"), "b"), null, null);
        }

        var preActivation = g.Op("Add", g.Op("MatMul", N.Embeddings, "W1"), "b1");
        var hidden = g.Op("Relu", preActivation);
        if (dropoutMask is not null)
        {
            hidden = g.Op("Mul", hidden, dropoutMask);
        }

        return new ForwardTensors(g.Op("Add", g.Op("MatMul", hidden, "W2"), "b2"), preActivation, hidden);
    }

    /// <summary>
    /// Hand-derived gradients of the loss for each parameter, in parameter order. Products with a transposed operand
    /// use Gemm's trans flags rather than materialising a Transpose of the [B,D] batch every step.
    /// </summary>
    private static string[] Backward(GraphWriter g, HeadShape shape, ForwardTensors forward, string dLogits, string axis0)
    {
        string TransposedTimes(string a, string b) => g.OpWith("Gemm", [a, b], [Int("transA", 1)]);
        if (shape.Kind == HeadKind.Linear)
        {
            return [TransposedTimes(N.Embeddings, dLogits), g.OpWith("ReduceSum", [dLogits, axis0], [Int("keepdims", 0)])];
        }

        var dW2 = TransposedTimes(forward.Hidden!, dLogits);
        var db2 = g.OpWith("ReduceSum", [dLogits, axis0], [Int("keepdims", 0)]);
        var dHidden = g.Op("Mul", g.OpWith("Gemm", [dLogits, "W2"], [Int("transB", 1)]), N.DropoutMask);
        var reluGate = g.OpWith("Cast", [g.Op("Greater", forward.PreActivation!, g.ConstFloat([0f], 1))], [Int("to", FloatType)]);
        var dPre = g.Op("Mul", dHidden, reluGate);
        var dW1 = TransposedTimes(N.Embeddings, dPre);
        var db1 = g.OpWith("ReduceSum", [dPre, axis0], [Int("keepdims", 0)]);
        return [dW1, db1, dW2, db2];
    }

    /// <summary>
    /// AdamW (Loshchilov &amp; Hutter): m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; m̂ = m/(1-β1^t); v̂ = v/(1-β2^t);
    /// p = p·(1 - lr·wd) - lr·m̂/(√v̂ + eps), the decay term only for matrices.
    /// </summary>
    private static void AdamW(GraphWriter g, string parameter, string gradient, bool decayed, string one)
    {
        var m = g.Op("Add", g.Op("Mul", N.Beta1, N.FirstMoment(parameter)), g.Op("Mul", g.Op("Sub", one, N.Beta1), gradient));
        var v = g.Op("Add", g.Op("Mul", N.Beta2, N.SecondMoment(parameter)), g.Op("Mul", g.Op("Sub", one, N.Beta2), g.Op("Mul", gradient, gradient)));
        g.Rename(m, N.Updated(N.FirstMoment(parameter)));
        g.Rename(v, N.Updated(N.SecondMoment(parameter)));
        var mHat = g.Op("Div", m, g.Op("Sub", one, g.Op("Pow", N.Beta1, N.Step)));
        var vHat = g.Op("Div", v, g.Op("Sub", one, g.Op("Pow", N.Beta2, N.Step)));
        var step = g.Op("Mul", N.LearningRate, g.Op("Div", mHat, g.Op("Add", g.Op("Sqrt", vHat), N.Epsilon)));
        var start = decayed ? g.Op("Mul", parameter, g.Op("Sub", one, g.Op("Mul", N.LearningRate, N.WeightDecay))) : parameter;
        g.OpWith("Sub", [start, step], [], N.Updated(parameter));
    }

    private sealed record ForwardTensors(string Logits, string? PreActivation, string? Hidden);
}
