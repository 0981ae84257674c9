namespace EdgeRuntime.Quantization;

/// <summary>Progress of a quantization run: a stage name and images done of total in that stage.</summary>
public sealed record QuantizationProgress(string Stage, int Done, int Total);
