using System.Device.Gpio;
using System.Runtime.Versioning;
using DeviceHost.Gpio;
using static DeviceHost.Tests.Gpio.GpioPanelHarness;

namespace DeviceHost.Tests.Gpio;

/// <summary>
/// Faults on timer threads are contained: before, a throwing button action or LED write escaped a timer callback,
/// which ends the process (here: the manual clock's Advance, which runs the callbacks, would throw).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class GpioFaultTests
{
    [Fact]
    public void A_button_action_that_throws_is_counted_and_logged_and_the_next_press_still_works()
    {
        using var h = new GpioPanelHarness();
        int calls = 0;
        h.Panel.CapturePressed += (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("No space left on device", 28);
            }
        };

        h.Capture(PinValue.Low, thenMs: 40);
        h.Capture(PinValue.High, thenMs: 40);
        h.Capture(PinValue.Low, thenMs: 40);

        Assert.Equal(2, calls);
        Assert.Equal(1, h.Panel.CaptureButton!.HandlerFailures);
        Assert.Equal(2, h.Panel.CaptureButton.PressCount);
        Assert.Contains(h.Logger.Entries, e => e.Message.Contains("No space left on device", StringComparison.Ordinal));
    }

    [Fact]
    public void An_led_whose_writes_fail_keeps_blinking_without_throwing_and_recovers_when_the_line_does()
    {
        using var h = new GpioPanelHarness();
        h.Driver.FailWrites = true;

        h.Panel.LedPattern = LedPattern.Fault;
        for (int i = 0; i < 6; i++)
        {
            h.Time.AdvanceToNextTimer();
        }

        Assert.Equal(7, h.Panel.Led!.WriteFailures);
        Assert.Single(h.Logger.Entries, e => e.Message.Contains("cannot be written", StringComparison.Ordinal));

        h.Driver.FailWrites = false;
        var before = h.Driver.WritesTo(LedPin).Count;
        h.Time.AdvanceToNextTimer();
        Assert.Equal(before + 1, h.Driver.WritesTo(LedPin).Count);
    }
}
