namespace EdgeRuntime.Drift;

/// <summary>One statistic of the drift monitor over the current window.</summary>
/// <param name="Name">Stable name: embeddingShift, unknownRate, classBalance, brightness, contrast, sharpness, frozenSeconds.</param>
/// <param name="Value">Current value; null while the window is shorter than the minimum or the statistic has no reference.</param>
/// <param name="Threshold">The value it raises beyond (below, for brightness-dark, contrast and sharpness).</param>
/// <param name="Raised">True between raising and clearing (hysteresis, see <see cref="DriftOptions"/>).</param>
/// <param name="Reason">What a raised statistic means for the technician; null when not raised.</param>
/// <param name="RaisedAt">When it raised.</param>
/// <param name="Alarming">Whether raising it raises the alarm (class balance alone does not, by default).</param>
public sealed record DriftStatistic(string Name, double? Value, double? Threshold, bool Raised, string? Reason, DateTimeOffset? RaisedAt, bool Alarming);
