namespace EdgeRuntime.Execution;

/// <summary>A native ONNX Runtime run failed; names the model and the provider it ran on (operational fault).</summary>
public sealed class InferenceFailedException : EdgeRuntimeException
{
    public InferenceFailedException(string modelName, ExecutionProvider provider, string reason, Exception innerException)
        : base(FaultKind.Provider, $"Model {modelName} failed on execution provider {provider}: {reason}", innerException)
    {
        (ModelName, Provider) = (modelName, provider);
    }

    public InferenceFailedException()
    {
        ModelName = "";
    }

    public InferenceFailedException(string message)
        : base(FaultKind.Provider, message)
    {
        ModelName = "";
    }

    public InferenceFailedException(string message, Exception innerException)
        : base(FaultKind.Provider, message, innerException)
    {
        ModelName = "";
    }

    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Provider;

    public string ModelName { get; }

    public ExecutionProvider Provider { get; }
}
