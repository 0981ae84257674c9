using EdgeRuntime.Execution;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeRuntime.Tests.Training;

/// <summary>Runs a model once on real ONNX Runtime with float/int64 inputs and returns the requested outputs as float/long arrays.</summary>
internal static class GraphRunner
{
    public static OrtSessionFactory Factory { get; } = new(new ExecutionOptions(), NullLogger<OrtSessionFactory>.Instance);

    public static Dictionary<string, Array> Run(byte[] model, IReadOnlyDictionary<string, (Array Data, long[] Shape)> inputs, params string[] outputs)
    {
        using var handle = Factory.Create(model, "test-graph");
        using var runOptions = new RunOptions();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (data, shape) in inputs.Values)
            {
                values.Add(data switch
                {
                    float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
                    long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
                    _ => throw new ArgumentException("Only float and long inputs are supported."),
                });
            }

            using var results = handle.Session.Run(runOptions, [.. inputs.Keys], values, outputs);
            var map = new Dictionary<string, Array>(StringComparer.Ordinal);
            for (var i = 0; i < outputs.Length; i++)
            {
                var type = results[i].GetTensorTypeAndShape().ElementDataType;
                map[outputs[i]] = type == TensorElementType.Int64
                    ? results[i].GetTensorDataAsSpan<long>().ToArray()
                    : results[i].GetTensorDataAsSpan<float>().ToArray();
            }

            return map;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
