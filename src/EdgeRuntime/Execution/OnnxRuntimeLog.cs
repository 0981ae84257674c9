using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Execution;

/// <summary>
/// Captures ONNX Runtime's own log instead of letting it print to the console (which would corrupt --json output):
/// errors are kept per thread so a failed provider can be reported with the real cause (the missing CUDA
/// library), and everything is forwarded to an optional sink. Installed once, before the first ONNX Runtime call.
/// </summary>
public static class OnnxRuntimeLog
{
    private static readonly Lock Gate = new();
    [ThreadStatic]
    private static string? _lastError;
    private static bool _installed;
    private static DOrtLoggingFunction? _callback;

    /// <summary>Receives (severity, message) for every native log line at warning level or above.</summary>
    public static Action<OrtLoggingLevel, string>? Sink { get; set; }

    /// <summary>Creates the process-wide ONNX Runtime environment with this class as its logger. Idempotent.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            _callback = OnLog;
            var options = new EnvironmentCreationOptions
            {
                logId = "edgeruntime",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                loggingFunction = _callback,
            };
            try
            {
                OrtEnv.CreateInstanceWithOptions(ref options);
            }
            catch (OnnxRuntimeException)
            {
                // An environment already exists (created by another component first); its logging stays as it was.
            }

            _installed = true;
        }
    }

    /// <summary>Returns and clears the last native error logged on this thread.</summary>
    public static string? TakeLastError()
    {
        var error = _lastError;
        _lastError = null;
        return error;
    }

    private static void OnLog(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR)
        {
            _lastError = message;
        }

        Sink?.Invoke(severity, message);
    }
}
