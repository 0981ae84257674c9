using System.Runtime.Versioning;
using System.Device.Gpio;
using DeviceHost.Gpio;
using static DeviceHost.Tests.Gpio.GpioPanelHarness;

namespace DeviceHost.Tests.Gpio;

[SupportedOSPlatform("linux")]
public sealed class StatusLedTests
{
    public static TheoryData<LedPattern, (bool, int)[]> Blinks => new()
    {
        { LedPattern.Training, [(true, 500), (false, 500), (true, 500), (false, 500), (true, 500), (false, 500)] },
        { LedPattern.Fault, [(true, 100), (false, 100), (true, 100), (false, 100), (true, 100), (false, 100)] },
        { LedPattern.NeedsCalibration, [(true, 150), (false, 150), (true, 150), (false, 850), (true, 150), (false, 150), (true, 150), (false, 850)] },
        { LedPattern.Drift, [(true, 1000), (false, 200), (true, 1000), (false, 200)] },
    };

    [Theory]
    [MemberData(nameof(Blinks))]
    public void Blinking_patterns_hold_each_step_for_its_time_and_repeat(LedPattern pattern, (bool, int)[] expected)
    {
        using var h = new GpioPanelHarness();

        h.Panel.LedPattern = pattern;
        var seen = new List<(bool, int)>();
        var litBefore = h.Driver.WritesTo(LedPin).Count;
        for (var i = 0; i < expected.Length; i++)
        {
            seen.Add((h.Driver.WritesTo(LedPin)[^1] == PinValue.High, (int)h.Time.PendingDueTimes.Single().TotalMilliseconds));
            h.Time.AdvanceToNextTimer();
        }

        Assert.Equal(expected, seen);
        Assert.Equal(litBefore + expected.Length, h.Driver.WritesTo(LedPin).Count);
    }

    [Fact]
    public void Every_pattern_draws_a_sequence_no_other_pattern_draws()
    {
        var sequences = Enum.GetValues<LedPattern>().Select(p => string.Join(',', LedSequence.Of(p).Select(s => $"{s.Lit}:{s.Duration.TotalMilliseconds}"))).ToList();

        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public void Ready_is_steady_on_and_off_is_dark_with_no_timer_running()
    {
        using var h = new GpioPanelHarness();
        Assert.Equal([PinValue.Low], h.Driver.WritesTo(LedPin));

        h.Panel.LedPattern = LedPattern.Ready;
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([PinValue.Low, PinValue.High], h.Driver.WritesTo(LedPin));
        Assert.Equal(0, h.Time.PendingTimerCount);

        h.Panel.LedPattern = LedPattern.Off;
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low], h.Driver.WritesTo(LedPin));
        Assert.Equal(LedPattern.Off, h.Panel.LedPattern);
    }

    [Fact]
    public void An_active_low_led_is_driven_low_to_light()
    {
        using var h = new GpioPanelHarness(o => o.LedActiveLow = true);

        h.Panel.LedPattern = LedPattern.Ready;

        Assert.Equal([PinValue.High, PinValue.Low], h.Driver.WritesTo(LedPin));
    }

    [Fact]
    public void Changing_the_pattern_mid_blink_restarts_the_new_pattern_from_its_first_step()
    {
        using var h = new GpioPanelHarness();
        h.Panel.LedPattern = LedPattern.Fault;
        h.Time.Advance(TimeSpan.FromMilliseconds(150));

        h.Panel.LedPattern = LedPattern.Training;

        Assert.Equal(PinValue.High, h.Driver.WritesTo(LedPin)[^1]);
        Assert.Equal([TimeSpan.FromMilliseconds(500)], h.Time.PendingDueTimes);
        h.Time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(PinValue.High, h.Driver.WritesTo(LedPin)[^1]);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(PinValue.Low, h.Driver.WritesTo(LedPin)[^1]);
    }

    [Fact]
    public void Setting_the_same_pattern_again_does_not_restart_it()
    {
        using var h = new GpioPanelHarness();
        h.Panel.LedPattern = LedPattern.Training;
        h.Time.Advance(TimeSpan.FromMilliseconds(300));
        var writes = h.Driver.WritesTo(LedPin).Count;

        h.Panel.LedPattern = LedPattern.Training;

        Assert.Equal(writes, h.Driver.WritesTo(LedPin).Count);
        Assert.Equal([TimeSpan.FromMilliseconds(200)], h.Time.PendingDueTimes);
    }

    [Fact]
    public void Disposing_the_panel_darkens_the_led_and_releases_every_line()
    {
        var h = new GpioPanelHarness();
        h.Panel.LedPattern = LedPattern.Fault;

        h.Dispose();

        Assert.Equal(PinValue.Low, h.Driver.WritesTo(LedPin)[^1]);
        Assert.False(h.Driver.IsOpen(LedPin));
        Assert.False(h.Driver.IsOpen(CapturePin));
        Assert.Equal(0, h.Driver.CallbackCount);
        Assert.True(h.Driver.Disposed);
        Assert.Equal(0, h.Time.PendingTimerCount);
    }
}
