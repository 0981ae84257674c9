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

    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }
}
