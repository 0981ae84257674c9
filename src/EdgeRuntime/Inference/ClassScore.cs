namespace EdgeRuntime.Inference;

/// <summary>One class and its probability.</summary>
public sealed record ClassScore(string Label, float Probability);
