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

    /// <summary>
    /// Creates a session for an int8 backbone on the best provider that works: TensorRT in its INT8 mode (fp32 graph
    /// plus calibration table), CUDA and CPU with the QDQ model. A provider that refuses the int8 graph runs the fp32
    /// model instead, with the reason logged and kept in <see cref="OrtSessionHandle.Int8Refusal"/>. The caller owns
    /// the handle.
    /// </summary>
    public OrtSessionHandle CreateInt8(Int8Models models, string modelName)
    {
        ArgumentNullException.ThrowIfNull(models);
        var failures = new List<ProviderFailure>();
        foreach (var provider in Preference)
        {
            bool tensorRt = provider == ExecutionProvider.TensorRt;
            if (tensorRt && models.TensorRtCalibrationTable is null)
            {
                failures.Add(new ProviderFailure(provider, "no TensorRT calibration table for the int8 model"));
                continue;
            }

            var int8 = TryCreate(tensorRt ? models.Fp32() : models.Qdq, modelName + " int8", provider, failures, tensorRt ? models.TensorRtCalibrationTable : null, out var refusal);
            if (int8 is not null)
            {
                return new OrtSessionHandle(int8.Value.Session, int8.Value.Options, provider, failures, modelName + " int8") { RunsInt8 = true };
            }

            if (refusal is null)
            {
                continue; // The provider is unavailable altogether; try the next one with the int8 model.
            }

            _logger.LogWarning("{Provider} refused the int8 model {Model}, running it in fp32: {Reason}", provider, modelName, refusal);
            var fp32 = TryCreate(models.Fp32(), modelName, provider, failures, null, out _);
            if (fp32 is not null)
            {
                return new OrtSessionHandle(fp32.Value.Session, fp32.Value.Options, provider, failures, modelName) { Int8Refusal = $"{provider}: {refusal}" };
            }
        }

        throw new EdgeRuntimeException($"Model {modelName} could not start on any execution provider: " +
            string.Join("; ", failures.Select(f => $"{f.Provider}: {f.Reason}")));
    }

    /// <summary>The TensorRT provider's settings: FP16 and engine cache as configured, INT8 with the calibration table when given.</summary>
    internal Dictionary<string, string> TensorRtSettings(string? int8CalibrationTable)
    {
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = _options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = _options.TensorRtFp16 ? "1" : "0",
        };
        var cache = _options.TensorRtCachePath;
        if (int8CalibrationTable is not null)
        {
            // ONNX Runtime looks the table up by name inside the engine cache directory, so the table's directory is it.
            cache = Path.GetDirectoryName(Path.GetFullPath(int8CalibrationTable));
            settings["trt_int8_enable"] = "1";
            settings["trt_int8_calibration_table_name"] = Path.GetFileName(int8CalibrationTable);
            settings["trt_int8_use_native_calibration_table"] = "1";
        }

        if (cache is { Length: > 0 })
        {
            Directory.CreateDirectory(cache);
            settings["trt_engine_cache_enable"] = "1";
            settings["trt_engine_cache_path"] = cache;
        }

        return settings;
    }

    /// <returns>The session, or null: <paramref name="refusal"/> is then the provider's reason for refusing this model, or null when the provider is unavailable.</returns>
    private (InferenceSession Session, SessionOptions Options)? TryCreate(byte[] model, string modelName, ExecutionProvider provider, List<ProviderFailure> failures, string? int8Table, out string? refusal)
    {
        refusal = null;
        string? known;
        lock (_gate)
        {
            _unavailable.TryGetValue(provider, out known);
        }

        if (known is not null)
        {
            failures.Add(new ProviderFailure(provider, known));
            return null;
        }

        var options = CreateBaseOptions();
        try
        {
            OnnxRuntimeLog.TakeLastError();
            Append(options, provider, int8Table);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or EdgeRuntimeException)
        {
            options.Dispose();
            var reason = OneLine(OnnxRuntimeLog.TakeLastError() is { } native ? $"{ex.Message} ({native})" : ex.Message);
            lock (_gate)
            {
                _unavailable[provider] = reason;
            }

            failures.Add(new ProviderFailure(provider, reason));
            _logger.LogWarning("Execution provider {Provider} is unavailable, trying the next one: {Reason}", provider, reason);
            return null;
        }

        try
        {
            var session = new InferenceSession(model, options);
            _logger.LogInformation("Model {Model} runs on {Provider} with {Threads} intra-op threads", modelName, provider, _options.IntraOpThreads == 0 ? "automatic" : _options.IntraOpThreads);
            return (session, options);
        }
        catch (OnnxRuntimeException ex)
        {
            options.Dispose();
            refusal = OneLine(OnnxRuntimeLog.TakeLastError() is { } native ? $"{ex.Message} ({native})" : ex.Message);
            return null;
        }
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

        if (!_options.AllowSpinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return options;
    }

    private void Append(SessionOptions options, ExecutionProvider provider, string? int8Table = null)
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
                    trt.UpdateOptions(TensorRtSettings(int8Table));
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
