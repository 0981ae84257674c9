using System.Text.Json;
using Google.Protobuf;
using Onnx;
using static EdgeRuntime.Training.GraphWriter;
using GraphWriter = EdgeRuntime.Training.GraphWriter;

namespace EdgeRuntime.Novelty;

/// <summary>
/// Stores a <see cref="NoveltyDetector"/> inside a head's ONNX: nodes that compute "novelty" [N,1] and the whitened
/// features "novelty_features" [N,D] from the head's "embedding" input, with the model as initializers and the settings
/// as metadata. The head file then carries its novelty model (hashed, versioned, rolled back with it) and one
/// session run gives probabilities, novelty and drift features. Standard operators only, opset 8 and later.
/// </summary>
public static class NoveltyGraph
{
    public const string NoveltyOutput = "novelty";
    public const string FeaturesOutput = "novelty_features";
    public const string MetadataKey = "edgeruntime.novelty";
    private const string Input = "embedding";
    private const string Prefix = "novelty/";

    /// <summary>Returns <paramref name="headOnnx"/> with the detector's nodes added (replacing any it had).</summary>
    public static byte[] Attach(byte[] headOnnx, NoveltyDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var model = ModelProto.Parser.ParseFrom(Detach(headOnnx));
        var (m, settings) = (detector.Model, detector.Settings);
        long opset = model.OpsetImport.Where(o => o.Domain.Length == 0).Select(o => o.Version).DefaultIfEmpty(8).Max();
        var g = new GraphWriter("novelty");
        int d = m.Dimension, k = m.ClassCount;
        g.Initializer("centre", m.Centre, d);
        g.Initializer("whitening_t", Transpose(m.Whitening, d, d), d, d);
        g.Initializer("means_t", Transpose(m.WhitenedMeans, k, d), d, k);
        var centred = g.Op("Sub", g.Op("Sqrt", g.Op("Relu", Input)), "centre");
        var norm = g.Op("Sqrt", g.Op("Add", Reduce(g, "ReduceSumSquare", centred, opset), g.ConstFloat([NoveltyFeatures.Epsilon], 1)));
        var phi = g.Op("Div", centred, norm);
        var z = g.Op("MatMul", phi, "whitening_t");
        g.Rename(z, FeaturesOutput);
        var zm = g.Op("MatMul", z, "means_t");
        string score;
        switch (settings.Kind)
        {
            case NoveltyScoreKind.Mahalanobis:
                g.Initializer("mean_norms", m.MeanNorms, k);
                var distances = g.Op("Sub", g.Op("Add", Reduce(g, "ReduceSumSquare", z, opset), "mean_norms"), g.Op("Mul", zm, g.ConstFloat([2f], 1)));
                score = Reduce(g, "ReduceMin", distances, opset);
                break;
            case NoveltyScoreKind.Energy:
                g.Initializer("energy_bias", [.. m.MeanNorms.Select((n, i) => (-0.5f * n) + m.LogPriors[i])], k);
                score = g.Op("Neg", Reduce(g, "ReduceLogSumExp", g.Op("Add", zm, "energy_bias"), opset));
                break;
            case NoveltyScoreKind.Knn:
                g.Initializer("bank_t", Transpose(m.Bank, m.Bank.Length / d, d), d, m.Bank.Length / d);
                score = g.Op("Sub", g.ConstFloat([1f], 1), Reduce(g, "ReduceMax", g.Op("MatMul", phi, "bank_t"), opset));
                break;
            default:
                throw new EdgeRuntimeException($"Unknown novelty score {settings.Kind}.");
        }

        g.Rename(score, NoveltyOutput);
        Splice(model, g.Graph);
        model.Graph.Output.Add(ValueInfo(NoveltyOutput, FloatType, ["N", 1L]));
        model.Graph.Output.Add(ValueInfo(FeaturesOutput, FloatType, ["N", (long)d]));
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = MetadataKey,
            Value = JsonSerializer.Serialize(new Stored(settings.Kind.ToString(), settings.Threshold, settings.ShiftThreshold, settings.ConfidenceFloor, m.LogPriors, m.Bank.Length / d)),
        });
        return model.ToByteArray();
    }

    /// <summary>The detector stored in <paramref name="headOnnx"/>; null for a head without one.</summary>
    /// <exception cref="EdgeRuntimeException">The novelty part is present but damaged.</exception>
    public static NoveltyDetector? Read(ReadOnlySpan<byte> headOnnx)
    {
        var model = ModelProto.Parser.ParseFrom(headOnnx);
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == MetadataKey);
        if (entry is null)
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(entry.Value) ?? throw new EdgeRuntimeException("empty novelty metadata");
            var tensors = model.Graph.Initializer.Where(t => t.Name.StartsWith(Prefix, StringComparison.Ordinal))
                .ToDictionary(t => t.Name[Prefix.Length..], t => (Values: Floats(t), Dims: t.Dims.ToArray()));
            var centre = tensors["centre"].Values;
            int d = centre.Length, k = stored.LogPriors.Length;
            var bank = tensors.TryGetValue("bank_t", out var b) ? Transpose(b.Values, d, (int)b.Dims[1]) : [];
            var detector = new NoveltyModel(d, centre, Transpose(tensors["whitening_t"].Values, d, d), Transpose(tensors["means_t"].Values, d, k), stored.LogPriors, bank);
            var kind = Enum.Parse<NoveltyScoreKind>(stored.Kind);
            return new NoveltyDetector(detector, new NoveltySettings(kind, stored.Threshold, stored.ShiftThreshold, stored.ConfidenceFloor));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException)
        {
            throw new EdgeRuntimeException("The head's novelty model is damaged: " + ex.Message, ex);
        }
    }

    /// <summary>The head model without any novelty nodes, initializers, outputs or metadata.</summary>
    public static byte[] Detach(byte[] headOnnx)
    {
        ArgumentNullException.ThrowIfNull(headOnnx);
        var model = ModelProto.Parser.ParseFrom(headOnnx);
        bool Ours(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) || name is NoveltyOutput or FeaturesOutput;
        Remove(model.Graph.Node, n => n.Name.StartsWith(Prefix, StringComparison.Ordinal));
        Remove(model.Graph.Initializer, t => Ours(t.Name));
        Remove(model.Graph.Input, i => Ours(i.Name));
        Remove(model.Graph.Output, o => Ours(o.Name));
        Remove(model.MetadataProps, p => p.Key == MetadataKey);
        return model.ToByteArray();
    }

    private static string Reduce(GraphWriter g, string op, string input, long opset) => opset >= 18
        ? g.OpWith(op, [input, g.ConstInt64([1], 1)], [Int("keepdims", 1)])
        : g.OpWith(op, [input], [Ints("axes", 1), Int("keepdims", 1)]);

    private static void Splice(ModelProto model, GraphProto part)
    {
        string Rename(string name) => name.Length == 0 || name is Input or NoveltyOutput or FeaturesOutput ? name : Prefix + name;
        foreach (var node in part.Node)
        {
            var copy = node.Clone();
            copy.Name = Prefix + node.Name;
            for (int i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (int i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            if (copy.OpType == "Constant")
            {
                copy.Attribute[0].T.Name = copy.Output[0];
            }

            model.Graph.Node.Add(copy);
        }

        foreach (var initializer in part.Initializer)
        {
            var copy = initializer.Clone();
            copy.Name = Rename(initializer.Name);
            model.Graph.Initializer.Add(copy);
            if (model.IrVersion < 4)
            {
                model.Graph.Input.Add(ValueInfo(copy.Name, copy.DataType, [.. copy.Dims.Cast<object>()]));
            }
        }
    }

    private static float[] Floats(TensorProto tensor)
    {
        if (!tensor.RawData.IsEmpty)
        {
            var values = new float[tensor.RawData.Length / sizeof(float)];
            Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, values.Length * sizeof(float));
            return values;
        }

        return [.. tensor.FloatData];
    }

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return result;
    }

    private static void Remove<T>(Google.Protobuf.Collections.RepeatedField<T> field, Func<T, bool> match)
    {
        for (int i = field.Count - 1; i >= 0; i--)
        {
            if (match(field[i]))
            {
                field.RemoveAt(i);
            }
        }
    }

    private sealed record Stored(string Kind, float Threshold, float ShiftThreshold, float ConfidenceFloor, float[] LogPriors, int BankRows);
}
