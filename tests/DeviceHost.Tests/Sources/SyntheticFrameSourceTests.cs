using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport.Time;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class SyntheticFrameSourceTests
{
    [Fact]
    public async Task Frames_have_the_requested_size_and_the_picture_moves_between_frames()
    {
        var time = new ManualTimeProvider();
        using var source = (SyntheticFrameSource)FrameSourceFactory.Create(
            "synthetic:?scene=blobs&fps=10&width=160&height=120", new FrameSourceOptions { TimeProvider = time });
        using var first = new Mat();
        using var second = new Mat();
        source.Open();

        Assert.True(await source.ReadAsync(first));
        var next = source.ReadAsync(second).AsTask();
        await time.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([TimeSpan.FromMilliseconds(100)], time.PendingDueTimes);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(new Size(160, 120), first.Size());
        Assert.Equal(MatType.CV_8UC3, first.Type());
        Assert.Equal(10, source.NominalFps);
        Assert.True(MeanAbsoluteDifference(first, second) > 1, "consecutive frames should differ");
    }

    [Fact]
    public async Task Switching_the_scene_at_run_time_changes_the_picture_to_a_distinct_scene()
    {
        var options = new FrameSourceOptions { TimeProvider = new ManualTimeProvider() };
        var scenes = Enum.GetValues<SyntheticScene>();
        var frames = new List<Mat>();
        try
        {
            foreach (var scene in scenes)
            {
                // A fresh source per scene keeps every frame at index 0, so only the scene differs.
                using var source = (SyntheticFrameSource)FrameSourceFactory.Create("synthetic:?width=128&height=96", options);
                source.Open();
                source.Scene = scene;
                var frame = new Mat();
                frames.Add(frame);
                Assert.True(await source.ReadAsync(frame));
            }

            for (var a = 0; a < scenes.Length; a++)
            {
                for (var b = a + 1; b < scenes.Length; b++)
                {
                    Assert.True(MeanAbsoluteDifference(frames[a], frames[b]) > 20, $"{scenes[a]} and {scenes[b]} look alike");
                }
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_frame_and_another_seed_draws_another()
    {
        using var a = await FirstFrame("synthetic:?scene=checker&seed=1&width=96&height=64");
        using var b = await FirstFrame("synthetic:?scene=checker&seed=1&width=96&height=64");
        using var c = await FirstFrame("synthetic:?scene=checker&seed=2&width=96&height=64");

        Assert.Equal(0, MeanAbsoluteDifference(a, b));
        Assert.True(MeanAbsoluteDifference(a, c) > 1);
    }

    [Fact]
    public void The_scene_control_is_shared_thread_safe_and_survives_a_recreated_source()
    {
        var options = new FrameSourceOptions();
        var changes = new List<SyntheticScene>();
        var gate = new Lock();

        // Changed is raised on whichever thread set the scene: the handler must synchronise its own state.
        options.SceneControl.Changed += (_, scene) =>
        {
            lock (gate)
            {
                changes.Add(scene);
            }
        };
        using (var first = (SyntheticFrameSource)FrameSourceFactory.Create("synthetic:?scene=stripes", options))
        {
            Assert.Equal(SyntheticScene.Stripes, first.Scene);
            Parallel.For(0, 100, i => options.SceneControl.Scene = i % 2 == 0 ? SyntheticScene.Checker : SyntheticScene.Gradient);
            options.SceneControl.Scene = SyntheticScene.Gradient;
        }

        using var recreated = (SyntheticFrameSource)FrameSourceFactory.Create("synthetic:?scene=stripes", options);

        Assert.Equal(SyntheticScene.Gradient, recreated.Scene);
        lock (gate)
        {
            // Racing setters may report their changes out of order; every change is still reported, alternating scenes.
            Assert.Contains(SyntheticScene.Gradient, changes);
            Assert.Contains(SyntheticScene.Checker, changes);
            Assert.DoesNotContain(SyntheticScene.Blobs, changes);
        }
    }

    [Theory]
    [InlineData("Blobs", true, SyntheticScene.Blobs)]
    [InlineData("checker", true, SyntheticScene.Checker)]
    [InlineData("COVERED", true, SyntheticScene.Covered)]
    [InlineData("2", false, SyntheticScene.Stripes)]
    [InlineData("waves", false, SyntheticScene.Stripes)]
    public void Scene_names_parse_case_insensitively_and_numbers_are_refused(string name, bool ok, SyntheticScene expected)
    {
        Assert.Equal(ok, SyntheticSceneControl.TryParse(name, out var scene));
        if (ok)
        {
            Assert.Equal(expected, scene);
        }

        Assert.Equal(["stripes", "blobs", "checker", "gradient", "covered"], SyntheticSceneControl.Names);
    }

    internal static double MeanAbsoluteDifference(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        var mean = Cv2.Mean(diff);
        return (mean.Val0 + mean.Val1 + mean.Val2) / 3;
    }

    private static async Task<Mat> FirstFrame(string uri)
    {
        using var source = FrameSourceFactory.Create(uri, new FrameSourceOptions { TimeProvider = new ManualTimeProvider() });
        source.Open();
        var frame = new Mat();
        Assert.True(await source.ReadAsync(frame));
        return frame;
    }
}
