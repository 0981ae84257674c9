namespace EdgeRuntime.Novelty;

/// <summary>How a head turns its novelty score into "unknown", stored in the head ONNX's metadata with the model.</summary>
/// <param name="Kind">The score the graph outputs as "novelty".</param>
/// <param name="Threshold">Novelty at or above this is "unknown".</param>
/// <param name="ShiftThreshold">The drift monitor's embedding-shift threshold for this head.</param>
/// <param name="ConfidenceFloor">Also "unknown" below this top probability (an operator's <c>Calibration:UnknownThreshold</c>); 0 = off.</param>
public sealed record NoveltySettings(NoveltyScoreKind Kind, float Threshold, float ShiftThreshold, float ConfidenceFloor);
