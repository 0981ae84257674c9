using System.Runtime.Versioning;
using DeviceHost.Calibration;
using DeviceHost.Fleet;
using DeviceHost.Sources;

namespace DeviceHost.Tests.Fleet;

[SupportedOSPlatform("linux")]
public sealed class StatusSnapshotTests
{
    private static readonly StatusSnapshot Healthy = new() { Health = "ok", HeadVersion = 3, HeadLabels = ["a", "b"], SourceState = FrameSourceState.Streaming };

    [Fact]
    public void A_steady_device_makes_no_events_and_the_first_snapshot_reports_only_what_is_already_wrong()
    {
        Assert.Empty(Healthy.EventsSince(Healthy));
        Assert.Empty(Healthy.EventsSince(null));
        Assert.Equal([FleetEvent.SourceDown], (Healthy with { SourceState = FrameSourceState.Failed }).EventsSince(null).Select(e => e.Kind));
    }

    [Fact]
    public void Head_changes_failed_training_the_camera_going_and_coming_back_and_drift_each_make_one_event()
    {
        Assert.Equal([FleetEvent.HeadActivated], (Healthy with { HeadVersion = 4 }).EventsSince(Healthy).Select(e => e.Kind));
        var failed = Healthy with { TrainingId = "j1", TrainingState = TrainingJobState.Failed, TrainingError = "disk full" };
        Assert.Equal([FleetEvent.TrainingFailed], failed.EventsSince(Healthy with { TrainingId = "j1", TrainingState = TrainingJobState.Running }).Select(e => e.Kind));
        Assert.Empty(failed.EventsSince(failed));
        var down = Healthy with { SourceState = FrameSourceState.Reconnecting };
        Assert.Equal([FleetEvent.SourceDown], down.EventsSince(Healthy).Select(e => e.Kind));
        Assert.Empty((down with { SourceState = FrameSourceState.Stalled }).EventsSince(down));
        Assert.Equal([FleetEvent.SourceRecovered], Healthy.EventsSince(down).Select(e => e.Kind));
        Assert.Equal([FleetEvent.RecalibrationRecommended], (Healthy with { RecalibrationRecommended = true }).EventsSince(Healthy).Select(e => e.Kind));
    }
}
