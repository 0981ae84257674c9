using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Embeddings;

/// <summary>
/// Tensors and binding for one batch size, created on first use and reused for every later run of that size.
/// The OrtValues wrap (and pin) slices of the engine's managed buffers; this slot owns the OrtValues and the
/// binding, the engine owns the buffers.
/// </summary>
internal sealed class BatchSlot : IDisposable
{
    public BatchSlot(InferenceSession session, string inputName, string outputName, Memory<float> input, long[] inputShape, Memory<float> output, long[] outputShape)
    {
        InputName = inputName;
        Input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, inputShape);
        Output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output, outputShape);
        Binding = session.CreateIoBinding();
        Binding.BindInput(inputName, Input);
        Binding.BindOutput(outputName, Output);
    }

    public string InputName { get; }

    public OrtValue Input { get; }

    public OrtValue Output { get; }

    public OrtIoBinding Binding { get; }

    public void Dispose()
    {
        Binding.Dispose();
        Input.Dispose();
        Output.Dispose();
    }
}
