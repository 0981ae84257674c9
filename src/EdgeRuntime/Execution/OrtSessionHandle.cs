using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Execution;

/// <summary>
/// A created session and the provider it actually runs on. Owns both the session and its options:
/// disposing the handle releases the native memory of both.
/// </summary>
public sealed class OrtSessionHandle : IDisposable
{
    private readonly SessionOptions _options;

    internal OrtSessionHandle(InferenceSession session, SessionOptions options, ExecutionProvider provider, IReadOnlyList<ProviderFailure> failures)
    {
        Session = session;
        _options = options;
        Provider = provider;
        Failures = failures;
    }

    public InferenceSession Session { get; }

    public ExecutionProvider Provider { get; }

    /// <summary>Providers tried before <see cref="Provider"/> and the reason each failed.</summary>
    public IReadOnlyList<ProviderFailure> Failures { get; }

    /// <summary>True when the session runs the int8 model (or TensorRT's INT8 mode); false for fp32.</summary>
    public bool RunsInt8 { get; init; }

    /// <summary>Why an int8 model asked for runs in fp32 instead (the provider refused it); null otherwise.</summary>
    public string? Int8Refusal { get; init; }

    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }
}
