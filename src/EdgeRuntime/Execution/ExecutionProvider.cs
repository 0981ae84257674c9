namespace EdgeRuntime.Execution;

/// <summary>ONNX Runtime execution providers the engine knows how to configure, in no particular order.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    TensorRt,
}
