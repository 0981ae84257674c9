namespace EdgeRuntime.Heads;

/// <summary>A prediction for one stored sample (by id, with the label it had) by a head that did not train on it.</summary>
public sealed record SamplePrediction(long SampleId, string Label, string Predicted);
