using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Execution;

/// <summary>
/// A created session and the provider it actually runs on. Owns both the session and its options:
/// disposing the handle releases the native memory of both. The one choke point for running a session: every run
/// goes through <see cref="Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// or its siblings, which turn a native error into an <see cref="InferenceFailedException"/> naming model and provider.
/// </summary>
public sealed class OrtSessionHandle : IDisposable
{
    private readonly SessionOptions _options;

    internal OrtSessionHandle(InferenceSession session, SessionOptions options, ExecutionProvider provider, IReadOnlyList<ProviderFailure> failures, string modelName)
    {
        Session = session;
        _options = options;
        Provider = provider;
        Failures = failures;
        ModelName = modelName;
    }

    /// <summary>The session, for metadata and bindings; run it through this handle, not directly.</summary>
    public InferenceSession Session { get; }

    public ExecutionProvider Provider { get; }

    /// <summary>The name the model was created under (for errors and logs).</summary>
    public string ModelName { get; }

    /// <summary>Providers tried before <see cref="Provider"/> and the reason each failed.</summary>
    public IReadOnlyList<ProviderFailure> Failures { get; }

    /// <summary>True when the session runs the int8 model (or TensorRT's INT8 mode); false for fp32.</summary>
    public bool RunsInt8 { get; init; }

    /// <summary>Why an int8 model asked for runs in fp32 instead (the provider refused it); null otherwise.</summary>
    public string? Int8Refusal { get; init; }
    /// <summary>Runs into caller-owned outputs.</summary>
    /// <exception cref="InferenceFailedException">The native run failed.</exception>
    public void Run(RunOptions runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames, IReadOnlyCollection<OrtValue> outputs)
    {
        try
        {
            Session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Failed(ex);
        }
    }

    /// <summary>Runs and returns newly allocated outputs, which the caller owns.</summary>
    /// <exception cref="InferenceFailedException">The native run failed.</exception>
    public IDisposableReadOnlyCollection<OrtValue> Run(RunOptions runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames)
    {
        try
        {
            return Session.Run(runOptions, inputNames, inputs, outputNames);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Failed(ex);
        }
    }

    /// <summary>Runs a prepared binding.</summary>
    /// <exception cref="InferenceFailedException">The native run failed.</exception>
    public void RunWithBinding(RunOptions runOptions, OrtIoBinding binding)
    {
        try
        {
            Session.RunWithBinding(runOptions, binding);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Failed(ex);
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }

    private InferenceFailedException Failed(OnnxRuntimeException ex)
    {
        var native = OnnxRuntimeLog.TakeLastError();
        return new InferenceFailedException(ModelName, Provider, native is null ? ex.Message : $"{ex.Message} ({native})", ex);
    }
}
