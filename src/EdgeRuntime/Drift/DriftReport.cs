namespace EdgeRuntime.Drift;

/// <summary>The drift monitor's view of the live field.</summary>
/// <param name="Alarm">Some alarming statistic is raised.</param>
/// <param name="RecalibrationRecommended">The field moved away from the calibration data (embedding shift or many unknowns), as opposed to a camera fault.</param>
/// <param name="Reasons">Reasons of the raised statistics, camera faults first.</param>
/// <param name="Statistics">Every statistic with value, threshold and state.</param>
/// <param name="WindowFrames">Frames in the window now.</param>
/// <param name="MinimumFrames">Frames the statistics wait for.</param>
/// <param name="AlarmSince">When the current alarm raised; null without alarm.</param>
/// <param name="AlarmsRaised">Alarms raised since start (a steady scene keeps it at 0; one drift episode adds 1).</param>
public sealed record DriftReport(
    bool Alarm,
    bool RecalibrationRecommended,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<DriftStatistic> Statistics,
    int WindowFrames,
    int MinimumFrames,
    DateTimeOffset? AlarmSince,
    long AlarmsRaised);
