using EdgeRuntime.Drift;

namespace DeviceHost.Field;

/// <summary>The <c>drift</c> section of /status and GET /drift: the monitor's report, its example frames and the review queue.</summary>
/// <param name="ExampleFrames">URLs of the frames captured when the alarm raised (GET /drift/frames/{i}).</param>
/// <param name="ReviewQueued">Frames waiting in the hard-sample queue.</param>
public sealed record DriftStatus(
    bool Alarm,
    bool RecalibrationRecommended,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<DriftStatistic> Statistics,
    int WindowFrames,
    int MinimumFrames,
    DateTimeOffset? AlarmSince,
    long AlarmsRaised,
    IReadOnlyList<string> ExampleFrames,
    int ReviewQueued)
{
    public static DriftStatus From(FieldWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var r = watch.Drift;
        return new DriftStatus(r.Alarm, r.RecalibrationRecommended, r.Reasons, r.Statistics, r.WindowFrames, r.MinimumFrames, r.AlarmSince, r.AlarmsRaised,
            [.. Enumerable.Range(0, watch.Examples.Count).Select(i => $"/drift/frames/{i}")], watch.Queue.Statistics().Queued);
    }
}
