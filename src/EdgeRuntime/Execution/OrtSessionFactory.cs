using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Execution;

/// <summary>
/// Creates ONNX Runtime sessions on the best provider that works, trying the configured preference in order.
/// The backbone, the training graphs and the inference heads all come from one factory, so training runs on
/// the same provider as inference. A provider whose libraries cannot be loaded is remembered and not retried.
/// Thread-safe.
/// </summary>
public sealed class OrtSessionFactory
{
    private readonly ExecutionOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<ExecutionProvider, string> _unavailable = [];
    private readonly Lock _gate = new();

    public OrtSessionFactory(ExecutionOptions options, ILogger<OrtSessionFactory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        _options = options;
        _logger = logger;
        if (options.NativeLibraryPath is { Length: > 0 } path)
        {
            OnnxRuntimeNativeLibrary.Use(path);
        }

        OnnxRuntimeLog.Install();
    }

    /// <summary>The preference list with CPU appended when missing: there is always somewhere to run.</summary>
    public IReadOnlyList<ExecutionProvider> Preference
    {
        get
        {
            IReadOnlyList<ExecutionProvider> chosen = _options.Providers.Count > 0 ? [.. _options.Providers.Distinct()] : ExecutionOptions.DefaultProviders;
            return chosen.Contains(ExecutionProvider.Cpu) ? chosen : [.. chosen, ExecutionProvider.Cpu];
        }
    }

    /// <summary>Creates a session for a serialized model. The caller owns the returned handle.</summary>
    /// <param name="model">ONNX model bytes.</param>
    /// <param name="modelName">Name used in log messages.</param>
    public OrtSessionHandle Create(byte[] model, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var failures = new List<ProviderFailure>();
        foreach (var provider in Preference)
        {
            string? known;
            lock (_gate)
            {
                _unavailable.TryGetValue(provider, out known);
            }

            if (known is not null)
            {
                failures.Add(new ProviderFailure(provider, known));
                continue;
            }

            var options = CreateBaseOptions();
            try
            {
                OnnxRuntimeLog.TakeLastError();
                Append(options, provider);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or EdgeRuntimeException)
            {
                options.Dispose();

                // The exception only says "failed to load"; the native log line names the missing library.
                var reason = OneLine(OnnxRuntimeLog.TakeLastError() is { } native ? $"{ex.Message} ({native})" : ex.Message);
                lock (_gate)
                {
                    _unavailable[provider] = reason;
                }

                failures.Add(new ProviderFailure(provider, reason));
                _logger.LogWarning("Execution provider {Provider} is unavailable, trying the next one: {Reason}", provider, reason);
                continue;
            }

            try
            {
                var session = new InferenceSession(model, options);
                _logger.LogInformation("Model {Model} runs on {Provider} with {Threads} intra-op threads", modelName, provider, _options.IntraOpThreads == 0 ? "automatic" : _options.IntraOpThreads);
                return new OrtSessionHandle(session, options, provider, failures, modelName);
            }
            catch (OnnxRuntimeException ex) when (provider != ExecutionProvider.Cpu)
            {
                options.Dispose();
                var reason = OneLine(OnnxRuntimeLog.TakeLastError() is { } native ? $"{ex.Message} ({native})" : ex.Message);
                failures.Add(new ProviderFailure(provider, reason));
                _logger.LogWarning("Model {Model} could not start on {Provider}, trying the next provider: {Reason}", modelName, provider, reason);
            }
            catch
            {
                options.Dispose();
                throw;
            }
        }

        throw new EdgeRuntimeException($"Model {modelName} could not start on any execution provider: " +
            string.Join("; ", failures.Select(f => $"{f.Provider}: {f.Reason}")));
    }

    private SessionOptions CreateBaseOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            EnableCpuMemArena = _options.UseCpuArena,
        };
        if (_options.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = _options.IntraOpThreads;
        }

        return options;
    }

    private void Append(SessionOptions options, ExecutionProvider provider)
    {
        switch (provider)
        {
            case ExecutionProvider.Cpu:
                return;
            case ExecutionProvider.Cuda:
                RequireCompiledIn("CUDAExecutionProvider");
                options.AppendExecutionProvider_CUDA(_options.DeviceId);
                return;
            case ExecutionProvider.TensorRt:
                RequireCompiledIn("TensorrtExecutionProvider");
                using (var trt = new OrtTensorRTProviderOptions())
                {
                    var settings = new Dictionary<string, string>
                    {
                        ["device_id"] = _options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["trt_fp16_enable"] = _options.TensorRtFp16 ? "1" : "0",
                    };
                    if (_options.TensorRtCachePath is { Length: > 0 } cache)
                    {
                        Directory.CreateDirectory(cache);
                        settings["trt_engine_cache_enable"] = "1";
                        settings["trt_engine_cache_path"] = cache;
                    }

                    trt.UpdateOptions(settings);
                    options.AppendExecutionProvider_Tensorrt(trt);
                }

                // TensorRT hands unsupported subgraphs to CUDA, then CPU, as ONNX Runtime recommends.
                options.AppendExecutionProvider_CUDA(_options.DeviceId);
                return;
            default:
                throw new EdgeRuntimeException($"Unknown execution provider {provider}.");
        }
    }

    private static void RequireCompiledIn(string name)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(name, StringComparer.Ordinal))
        {
            throw new EdgeRuntimeException($"{name} is not compiled into this onnxruntime library.");
        }
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 600 ? line : line[..600] + "…";
    }
}
