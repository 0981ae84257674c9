using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Calibration;

/// <summary>What this device did with an <see cref="ExternalHead"/>: the version it is stored as and the gate's verdict.</summary>
/// <param name="Recovered">True when an earlier, interrupted adoption had already stored it: only the activation was finished.</param>
public sealed record AdoptionResult(int Version, GateDecision Decision, bool Recovered);
