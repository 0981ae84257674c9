namespace EdgeRuntime.Execution;

/// <summary>How ONNX Runtime sessions are created. Bound from the <c>EdgeRuntime:Execution</c> configuration section.</summary>
public sealed class ExecutionOptions
{
    /// <summary>The preference used when <see cref="Providers"/> is empty.</summary>
    public static readonly IReadOnlyList<ExecutionProvider> DefaultProviders = [ExecutionProvider.Cuda, ExecutionProvider.Cpu];

    /// <summary>
    /// Providers to try, best first; empty means <see cref="DefaultProviders"/>. CPU is always the last resort even
    /// when not listed. (A list that starts empty, because configuration binding appends to lists.)
    /// </summary>
    public IList<ExecutionProvider> Providers { get; } = [];

    /// <summary>Threads for one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>CUDA / TensorRT device ordinal.</summary>
    public int DeviceId { get; set; }

    /// <summary>Full path of a native onnxruntime library to use instead of the one the NuGet package ships (Jetson builds).</summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Where TensorRT keeps built engines so a restart does not rebuild them; null disables the cache.</summary>
    public string? TensorRtCachePath { get; set; }

    /// <summary>Let TensorRT run layers in FP16 (Jetson default: worth it; accuracy change is tiny for embeddings).</summary>
    public bool TensorRtFp16 { get; set; }

    /// <summary>
    /// Keep ONNX Runtime's CPU memory arena. Off by default: the arena holds on to the peak activation memory of the
    /// largest batch ever run (about 100 MB for ResNet-18 at batch 8) for the life of the process, which a small device
    /// cannot spare; without it, buffers are returned after each run at a small speed cost.
    /// </summary>
    public bool UseCpuArena { get; set; }

    /// <summary>
    /// Let ONNX Runtime's intra-op threads spin-wait for work between operators (ONNX Runtime's own default). Off here:
    /// on a 2-core device the spinning threads compete with capture, decoding, HTTP and every other process, and a
    /// preempted spinner stalls the operator it waits for (measured on a loaded 2-core machine: several times slower).
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Returns the first problem with these options, naming the key, or null when they are valid.</summary>
    public string? Validate()
    {
        if (IntraOpThreads < 0)
        {
            return $"Execution:IntraOpThreads must be 0 (automatic) or positive, not {IntraOpThreads}.";
        }

        if (DeviceId < 0)
        {
            return $"Execution:DeviceId must not be negative, not {DeviceId}.";
        }

        if (NativeLibraryPath is { Length: > 0 } path && !File.Exists(path))
        {
            return $"Execution:NativeLibraryPath '{path}' does not exist.";
        }

        return null;
    }
}
