using System.Globalization;
using Onnx;
using static EdgeRuntime.Training.GraphWriter;

namespace EdgeRuntime.Training;

/// <summary>
/// The deployable head: input "embedding" [N,D] float, output "probabilities" [N,K] float, trained weights baked in
/// as initializers. It uses only MatMul, Add, Relu and Softmax(axis=1) on 2-D tensors, whose semantics are the same
/// in every opset from 8 to 21, so it can be emitted at the backbone's opset (ResNet-18 here: opset 8, IR 3).
/// </summary>
public static class InferenceHeadBuilder
{
    public const string InputName = "embedding";
    public const string OutputName = "probabilities";
    public const long DefaultOpset = 8;
    public const long DefaultIrVersion = 3;

    /// <summary>Builds the head model. Parameters follow <see cref="HeadShape.ParameterNames"/> order.</summary>
    /// <param name="opset">Default-domain opset, 8..21.</param>
    /// <param name="irVersion">ONNX IR version, 3..10. Below 4 the initializers are also listed as graph inputs, as IR 3 requires.</param>
    public static ModelProto Build(HeadShape shape, IReadOnlyList<float[]> parameters, long opset = DefaultOpset, long irVersion = DefaultIrVersion)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        if (opset is < 8 or > 21)
        {
            throw new EdgeRuntimeException($"Inference head opset must be between 8 and 21, not {opset}.");
        }

        if (irVersion is < 3 or > 10)
        {
            throw new EdgeRuntimeException($"Inference head IR version must be between 3 and 10, not {irVersion}.");
        }

        CheckParameters(shape, parameters);
        var g = new GraphWriter("classifier_head");
        g.Input(InputName, FloatType, "N", (long)shape.Dimension);
        for (var i = 0; i < parameters.Count; i++)
        {
            var name = shape.ParameterNames[i];
            g.Initializer(name, parameters[i], shape.ParameterDims(i));
            if (irVersion < 4)
            {
                g.Input(name, FloatType, [.. shape.ParameterDims(i).Cast<object>()]);
            }
        }

        string logits;
        if (shape.Kind == HeadKind.Linear)
        {
            logits = g.Op("Add", g.Op("MatMul", InputName, "W"), "b");
        }
        else
        {
            var hidden = g.Op("Relu", g.Op("Add", g.Op("MatMul", InputName, "W1"), "b1"));
            logits = g.Op("Add", g.Op("MatMul", hidden, "W2"), "b2");
        }

        g.OpWith("Softmax", [logits], [Int("axis", 1)], OutputName);
        g.Output(OutputName, FloatType, "N", (long)shape.ClassCount);
        return Model(g.Graph, irVersion, opset);
    }

    internal static void CheckParameters(HeadShape shape, IReadOnlyList<float[]> parameters)
    {
        if (parameters.Count != shape.ParameterNames.Count)
        {
            throw new EdgeRuntimeException($"A {shape.Kind} head has {shape.ParameterNames.Count} parameter tensors, not {parameters.Count}.");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null || parameters[i].Length != shape.ParameterLength(i))
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture,
                    $"Head parameter {shape.ParameterNames[i]} must hold {shape.ParameterLength(i)} values, not {parameters[i]?.Length ?? 0}."));
            }
        }
    }
}
