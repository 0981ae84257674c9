using Microsoft.ML.OnnxRuntime;
using N = EdgeRuntime.Training.TrainingGraphNames;

namespace EdgeRuntime.Training;

/// <summary>
/// One set of parameters, first and second moments as managed arrays, each wrapped once in an OrtValue that pins
/// it. The OrtValues are registered with the owner's tracker, which disposes them.
/// </summary>
internal sealed class TensorSet
{
    private readonly HeadShape _shape;
    private readonly float[][] _arrays;

    public TensorSet(HeadShape shape, Func<OrtValue, OrtValue> track)
    {
        _shape = shape;
        var count = shape.ParameterNames.Count;
        _arrays = new float[count * 3][];
        var values = new OrtValue[_arrays.Length];
        for (var i = 0; i < _arrays.Length; i++)
        {
            var parameter = i % count;
            _arrays[i] = new float[shape.ParameterLength(parameter)];
            values[i] = track(OrtValue.CreateTensorValueFromMemory(_arrays[i], shape.ParameterDims(parameter)));
        }

        Values = values;
    }

    /// <summary>Parameters, then first moments, then second moments, matching <see cref="Names"/>.</summary>
    public IReadOnlyList<OrtValue> Values { get; }

    public static IEnumerable<string> Names(HeadShape shape) =>
        shape.ParameterNames.Concat(shape.ParameterNames.Select(N.FirstMoment)).Concat(shape.ParameterNames.Select(N.SecondMoment));

    public void Load(IReadOnlyList<float[]> parameters, AdamState optimizer)
    {
        var count = _shape.ParameterNames.Count;
        for (var i = 0; i < count; i++)
        {
            parameters[i].CopyTo(_arrays[i], 0);
            optimizer.FirstMoments[i].CopyTo(_arrays[count + i], 0);
            optimizer.SecondMoments[i].CopyTo(_arrays[(2 * count) + i], 0);
        }
    }

    public (float[][] Parameters, AdamState Optimizer) Copy(long step)
    {
        var count = _shape.ParameterNames.Count;
        float[][] Slice(int start) => [.. _arrays.Skip(start).Take(count).Select(a => (float[])a.Clone())];
        return (Slice(0), new AdamState(Slice(count), Slice(2 * count), step));
    }
}
