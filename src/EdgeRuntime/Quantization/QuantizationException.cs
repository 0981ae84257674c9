namespace EdgeRuntime.Quantization;

/// <summary>The backbone cannot be quantized, or the quantized model failed a check; the fp32 model stays in use.</summary>
public sealed class QuantizationException : EdgeRuntimeException
{
    public QuantizationException(string message)
        : base(message)
    {
    }

    public QuantizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
