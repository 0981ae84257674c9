using EdgeRuntime.Drift;
using EdgeRuntime.Novelty;
using EdgeRuntime.Tests.Novelty;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Drift;

/// <summary>The drift monitor on real frames and the real backbone, minutes of stream on a manual clock.</summary>
public sealed class DriftMonitorTests(OpenSetFixture fixture, ITestOutputHelper output) : IClassFixture<OpenSetFixture>
{
    private static readonly DriftOptions Options = new() { WindowFrames = 60, RaiseAfterSeconds = 3, ClearAfterSeconds = 10 };

    [Fact]
    public void A_steady_scene_raises_nothing_for_ten_minutes()
    {
        using var scene = Scene();
        scene.Show(DriftScene.Still(ImageFamily.Stripes, seed: 5));

        var alarm = scene.Run(TimeSpan.FromMinutes(10));

        var report = scene.Monitor.Report();
        output.WriteLine(string.Join("; ", report.Statistics.Select(s => $"{s.Name} {s.Value} / {s.Threshold}")));
        Assert.Null(alarm);
        Assert.Equal(0, report.AlarmsRaised);
        Assert.All(report.Statistics.Where(s => s.Alarming), s => Assert.False(s.Raised, s.Name));
        Assert.True(report.Statistics.Single(s => s.Name == "classBalance").Raised, "one class for ten minutes is far from the training balance");
        Assert.NotNull(report.Statistics.Single(s => s.Name == "embeddingShift").Value);
        Assert.NotNull(report.Statistics.Single(s => s.Name == "sharpness").Value);
    }

    public static TheoryData<string, string> Faults => new()
    {
        { "scene change", "embeddingShift" },
        { "covered lens", "brightness" },
        { "frozen frame", "frozenSeconds" },
        { "blurred stream", "sharpness" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_raises_its_reason_within_the_window_and_returning_to_normal_clears_it_once(string fault, string statistic)
    {
        using var scene = Scene();
        scene.Show(DriftScene.Still(ImageFamily.Stripes, seed: 5));
        Assert.Null(scene.Run(TimeSpan.FromMinutes(1)));

        scene.Show(fault switch
        {
            "scene change" => DriftScene.Still(ImageFamily.Triangles, seed: 9),
            "covered lens" => DriftScene.Still(ImageFamily.Stripes, seed: 5).Select(Darken),
            "frozen frame" => DriftScene.Still(ImageFamily.Stripes, seed: 5, count: 1),
            _ => DriftScene.Still(ImageFamily.Stripes, seed: 5).Select(Blur),
        });
        var alarm = scene.Run(TimeSpan.FromSeconds(30));
        var raised = scene.Monitor.Report();
        scene.Show(DriftScene.Still(ImageFamily.Stripes, seed: 5));
        scene.Run(TimeSpan.FromMinutes(2));
        var cleared = scene.Monitor.Report();

        output.WriteLine("cleared: " + string.Join("; ", cleared.Statistics.Select(s => $"{s.Name} {s.Value}/{s.Threshold}{(s.Raised ? " RAISED" : "")}")));
        output.WriteLine($"{fault}: alarm after {alarm}; " + string.Join("; ", raised.Statistics.Select(s => $"{s.Name} {s.Value}/{s.Threshold}{(s.Raised ? " RAISED" : "")}")));
        Assert.NotNull(alarm);
        double within = Math.Max(Options.WindowFrames * DriftScene.FramePeriod.TotalSeconds, Options.FrozenSeconds) + Options.RaiseAfterSeconds;
        Assert.True(alarm <= TimeSpan.FromSeconds(within), $"alarm after {alarm}");
        Assert.True(raised.Statistics.Single(s => s.Name == statistic).Raised, statistic);
        Assert.Contains(raised.Statistics.Single(s => s.Name == statistic).Reason!, raised.Reasons);
        Assert.True(statistic != "embeddingShift" || raised.RecalibrationRecommended);
        Assert.False(cleared.Alarm);
        Assert.Equal(1, cleared.AlarmsRaised);
        Assert.Single(scene.Changes.Where((c, i) => c.Alarm && (i == 0 || !scene.Changes[i - 1].Alarm)));
        Assert.Single(scene.Changes.Where((c, i) => !c.Alarm && i > 0 && scene.Changes[i - 1].Alarm));
    }

    /// <remarks>
    /// On this head a steady known scene's embedding shift is 750-2,500 while the samples' own out-of-sample residuals
    /// reach 7,000, so the shift signal is quiet by design; a camera change (tint, 2,850) stays inside that spread too.
    /// What raises on such a head is image health and the unknown rate, checked here.
    /// </remarks>
    [Theory]
    [InlineData("covered lens", "brightness")]
    [InlineData("unseen objects", "unknownRate")]
    public void A_head_calibrated_on_a_dozen_samples_stays_quiet_on_steady_scenes_of_its_classes_and_still_alarms_on_a_real_change(string change, string statistic)
    {
        // Three samples per class, split as the store splits them: two to train, one held out.
        var few = OpenSetFixture.Known.Select((_, k) => fixture.Train.Where(i => i.Index == k).Take(3).ToList()).ToList();
        var (train, holdout) = (few.SelectMany(c => c.Take(2)).ToList(), few.SelectMany(c => c.Skip(2)).ToList());
        var (model, report) = NoveltyCalibration.Calibrate((OpenSetFixture.Rows(train), [.. train.Select(i => i.Index)]),
            (OpenSetFixture.Rows(holdout), [.. holdout.Select(i => i.Index)]), fixture.Dimension, OpenSetFixture.Known.Length, 0.05);
        var detector = new NoveltyDetector(model, new NoveltySettings(report.Kind, report.Threshold, report.ShiftThreshold, 0f));

        foreach (var family in OpenSetFixture.Known)
        {
            using var steady = new DriftScene(fixture.Backbone, detector, Options);
            steady.Show(DriftScene.Still(family, seed: 5));
            var quiet = steady.Run(TimeSpan.FromMinutes(2));
            var shift = steady.Monitor.Report().Statistics.Single(s => s.Name == "embeddingShift");
            output.WriteLine($"{family}: embeddingShift {shift.Value} / {shift.Threshold}");
            Assert.Null(quiet);
            Assert.NotNull(shift.Value);
        }

        using var scene = new DriftScene(fixture.Backbone, detector, Options);
        scene.Show(DriftScene.Still(ImageFamily.Stripes, seed: 5));
        Assert.Null(scene.Run(TimeSpan.FromMinutes(1)));
        scene.Show(change == "covered lens" ? DriftScene.Still(ImageFamily.Stripes, seed: 5).Select(Darken) : DriftScene.Still(ImageFamily.Triangles, seed: 9));
        var alarm = scene.Run(TimeSpan.FromSeconds(30));
        var raised = scene.Monitor.Report();
        output.WriteLine($"{change}: alarm after {alarm}; " + string.Join("; ", raised.Statistics.Select(s => $"{s.Name} {s.Value}/{s.Threshold}{(s.Raised ? " RAISED" : "")}")));
        Assert.NotNull(alarm);
        Assert.True(raised.Statistics.Single(s => s.Name == statistic).Raised, statistic);
    }

    [Fact]
    public void A_window_smaller_than_the_minimum_is_refused_naming_the_key()
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => new DriftMonitor(new DriftOptions { WindowFrames = 8 }, TimeProvider.System));

        Assert.Contains("Drift:WindowFrames", ex.Message, StringComparison.Ordinal);
    }

    private static Mat Darken(Mat frame)
    {
        var dark = new Mat();
        frame.ConvertTo(dark, MatType.CV_8UC3, 0.04, 2);
        frame.Dispose();
        return dark;
    }

    private static Mat Blur(Mat frame)
    {
        Cv2.GaussianBlur(frame, frame, new Size(0, 0), 4);
        return frame;
    }

    private DriftScene Scene()
    {
        var (x, y) = (OpenSetFixture.Rows(fixture.Train), fixture.Train.Select(i => i.Index).ToArray());
        var holdout = (OpenSetFixture.Rows(fixture.KnownTest), fixture.KnownTest.Select(i => i.Index).ToArray());
        var (model, report) = NoveltyCalibration.Calibrate((x, y), holdout, fixture.Dimension, OpenSetFixture.Known.Length, 0.05);
        var detector = new NoveltyDetector(model, new NoveltySettings(report.Kind, report.Threshold, report.ShiftThreshold, 0f));
        return new DriftScene(fixture.Backbone, detector, Options);
    }
}
