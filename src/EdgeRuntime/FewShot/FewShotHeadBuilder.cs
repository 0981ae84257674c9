using System.Globalization;
using EdgeRuntime.Training;
using Onnx;
using static EdgeRuntime.Training.GraphWriter;

namespace EdgeRuntime.FewShot;

/// <summary>
/// The ONNX form of a <see cref="FewShotHead"/>: input "embedding" [N, D], the feature transform (reference mean as
/// the initializer "feature_mean"), each part's MatMul/Add(/Relu)/Softmax, the parts' mean, output "probabilities"
/// [N, K]. Only ops whose semantics are unchanged from opset 8 to 21, so it merges behind the backbone at its opset.
/// </summary>
public static class FewShotHeadBuilder
{
    public static ModelProto Build(FewShotHead head, long opset = InferenceHeadBuilder.DefaultOpset, long irVersion = InferenceHeadBuilder.DefaultIrVersion)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (opset is < 8 or > 21 || irVersion is < 3 or > 10)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"A few-shot head needs opset 8..21 and IR 3..10, not opset {opset}, IR {irVersion}."));
        }

        var g = new GraphWriter("few_shot_head");
        g.Input(InferenceHeadBuilder.InputName, FloatType, "N", (long)head.Dimension);
        var features = head.Transform.AppendTo(g, InferenceHeadBuilder.InputName);
        var outputs = new List<string>();
        for (var p = 0; p < head.Parts.Count; p++)
        {
            var part = head.Parts[p];
            var names = part.Shape.ParameterNames.Select(n => $"part{p}_{n}").ToArray();
            for (var i = 0; i < names.Length; i++)
            {
                g.Initializer(names[i], part.Parameters[i], part.Shape.ParameterDims(i));
            }

            var x = features;
            if (part.Kind == HeadKind.Hidden)
            {
                x = g.Op("Relu", g.Op("Add", g.Op("MatMul", x, names[0]), names[1]));
            }

            var logits = g.Op("Add", g.Op("MatMul", x, names[^2]), names[^1]);
            outputs.Add(head.Parts.Count == 1 ? logits : g.OpWith("Softmax", [logits], [Int("axis", 1)]));
        }

        if (head.Parts.Count == 1)
        {
            g.OpWith("Softmax", [outputs[0]], [Int("axis", 1)], InferenceHeadBuilder.OutputName);
        }
        else
        {
            var sum = outputs.Skip(1).Aggregate(outputs[0], (acc, o) => g.Op("Add", acc, o));
            g.OpWith("Mul", [sum, g.ConstFloat([1f / head.Parts.Count], 1)], [], InferenceHeadBuilder.OutputName);
        }

        g.Output(InferenceHeadBuilder.OutputName, FloatType, "N", (long)head.ClassCount);
        if (irVersion < 4)
        {
            // IR 3 requires every initializer to be listed as a graph input too.
            foreach (var initializer in g.Graph.Initializer)
            {
                g.Graph.Input.Add(ValueInfo(initializer.Name, FloatType, [.. initializer.Dims.Cast<object>()]));
            }
        }

        return Model(g.Graph, irVersion, opset);
    }
}
