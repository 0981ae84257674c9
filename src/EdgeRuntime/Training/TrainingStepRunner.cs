using EdgeRuntime.Execution;
using Microsoft.ML.OnnxRuntime;
using N = EdgeRuntime.Training.TrainingGraphNames;

namespace EdgeRuntime.Training;

/// <summary>
/// Runs the training-step and evaluation graphs over preallocated buffers. Parameters and AdamW moments live in two
/// sets of managed arrays wrapped once in OrtValues; each step reads one set and writes the other, then they swap,
/// so a step allocates no tensors. Owns both sessions, every OrtValue it creates, and the RunOptions.
/// </summary>
internal sealed class TrainingStepRunner : IDisposable
{
    private readonly HeadShape _shape;
    private readonly OrtSessionHandle _stepSession;
    private readonly OrtSessionHandle _evalSession;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _owned = [];
    private readonly TensorSet[] _sets = new TensorSet[2];
    private readonly Dictionary<int, BatchBuffers> _batches = [];
    private readonly Dictionary<(int Size, int Set), OrtValue[]> _stepInputs = [];
    private readonly OrtValue[][] _stepOutputs = new OrtValue[2][];
    private readonly float[][] _hyper;
    private readonly OrtValue[] _hyperValues;
    private readonly float[] _loss = new float[1];
    private readonly OrtValue _lossValue;
    private readonly List<string> _stepInputNames = [];
    private readonly List<string> _stepOutputNames = [];
    private readonly List<string> _evalInputNames = [N.Embeddings, N.Labels];
    private readonly string[] _evalOutputNames = [N.Loss, N.Probabilities, N.Predicted];
    private readonly OrtValue[] _evalFixed;
    private readonly OrtValue[] _evalOutputs;
    private int _current;

    public TrainingStepRunner(OrtSessionFactory factory, HeadShape shape, TrainingData data, IReadOnlyList<float[]> initial, AdamState optimizer, TrainingSettings settings)
    {
        _shape = shape;
        _stepSession = factory.Create(HeadGraphBuilder.BuildTrainingStep(shape), "head-training-step");
        try
        {
            _evalSession = factory.Create(HeadGraphBuilder.BuildEvaluation(shape), "head-evaluation");
        }
        catch
        {
            _stepSession.Dispose();
            throw;
        }

        for (var s = 0; s < 2; s++)
        {
            _sets[s] = new TensorSet(shape, Track);
        }

        _sets[0].Load(initial, optimizer);
        Step = optimizer.Step;
        _hyper = [.. N.HyperParameters.Select(_ => new float[1])];
        _hyperValues = [.. _hyper.Select(h => Track(OrtValue.CreateTensorValueFromMemory(h, [1])))];
        (_hyper[1][0], _hyper[2][0], _hyper[3][0], _hyper[4][0], _hyper[5][0], _hyper[6][0]) =
            (settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, settings.WeightDecay, settings.LabelSmoothing);
        _lossValue = Track(OrtValue.CreateTensorValueFromMemory(_loss, [1]));

        _stepInputNames.AddRange([N.Embeddings, N.Labels, N.Weights]);
        if (shape.Kind == HeadKind.Hidden)
        {
            _stepInputNames.Add(N.DropoutMask);
        }

        _stepInputNames.AddRange(TensorSet.Names(shape));
        _stepInputNames.AddRange(N.HyperParameters);
        _stepOutputNames.AddRange(TensorSet.Names(shape).Select(N.Updated));
        _stepOutputNames.Add(N.Loss);
        _evalInputNames.AddRange(shape.ParameterNames);

        var holdoutLabels = data.HoldoutLabels.Select(l => (long)l).ToArray();
        HoldoutProbabilities = new float[data.HoldoutCount * shape.ClassCount];
        HoldoutPredictions = new long[data.HoldoutCount];
        _evalFixed =
        [
            Track(OrtValue.CreateTensorValueFromMemory((float[])data.HoldoutEmbeddings.Clone(), [data.HoldoutCount, shape.Dimension])),
            Track(OrtValue.CreateTensorValueFromMemory(holdoutLabels, [data.HoldoutCount])),
        ];
        _evalOutputs =
        [
            Track(OrtValue.CreateTensorValueFromMemory(new float[1], [1])),
            Track(OrtValue.CreateTensorValueFromMemory(HoldoutProbabilities, [data.HoldoutCount, shape.ClassCount])),
            Track(OrtValue.CreateTensorValueFromMemory(HoldoutPredictions, [data.HoldoutCount])),
        ];
    }

    /// <summary>Number of updates applied so far (AdamW t).</summary>
    public long Step { get; private set; }

    /// <summary>Filled by <see cref="Evaluate"/>: holdout probabilities [N,K] row-major.</summary>
    public float[] HoldoutProbabilities { get; }

    /// <summary>Filled by <see cref="Evaluate"/>: predicted class per holdout sample.</summary>
    public long[] HoldoutPredictions { get; }

    /// <summary>Buffers of a minibatch of <paramref name="size"/> rows, created on first use and reused.</summary>
    public BatchBuffers Batch(int size)
    {
        if (!_batches.TryGetValue(size, out var batch))
        {
            batch = new BatchBuffers(_shape, size, Track);
            _batches[size] = batch;
        }

        return batch;
    }

    /// <summary>Applies one AdamW update from the filled <paramref name="batch"/>; returns the pre-update loss.</summary>
    public float Run(BatchBuffers batch)
    {
        Step++;
        _hyper[0][0] = Step;
        if (!_stepInputs.TryGetValue((batch.Size, _current), out var inputs))
        {
            inputs = [.. batch.Values, .. _sets[_current].Values, .. _hyperValues];
            _stepInputs[(batch.Size, _current)] = inputs;
        }

        var outputs = _stepOutputs[1 - _current] ??= [.. _sets[1 - _current].Values, _lossValue];
        _stepSession.Run(_runOptions, _stepInputNames, inputs, _stepOutputNames, outputs);
        _current = 1 - _current;
        return _loss[0];
    }

    /// <summary>Runs the evaluation graph on the holdout set with the current parameters; returns the mean loss.</summary>
    public float Evaluate()
    {
        var inputs = new List<OrtValue>(_evalFixed);
        inputs.AddRange(_sets[_current].Values.Take(_shape.ParameterNames.Count));
        _evalSession.Run(_runOptions, _evalInputNames, inputs, _evalOutputNames, _evalOutputs);
        return _evalOutputs[0].GetTensorDataAsSpan<float>()[0];
    }

    /// <summary>Copies of the current parameters and optimizer state.</summary>
    public (float[][] Parameters, AdamState Optimizer) Snapshot() => _sets[_current].Copy(Step);

    public void Dispose()
    {
        foreach (var value in _owned)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _stepSession.Dispose();
        _evalSession.Dispose();
    }

    private OrtValue Track(OrtValue value)
    {
        _owned.Add(value);
        return value;
    }
}
