using System.Runtime.Versioning;
using System.Device.Gpio;
using static DeviceHost.Tests.Gpio.GpioPanelHarness;

namespace DeviceHost.Tests.Gpio;

[SupportedOSPlatform("linux")]
public sealed class DebouncedButtonTests
{
    private static readonly PinValue Pressed = PinValue.Low;
    private static readonly PinValue Released = PinValue.High;

    [Fact]
    public void A_clean_press_counts_once_when_the_line_has_been_quiet_for_the_debounce_time()
    {
        using var h = new GpioPanelHarness();

        h.Capture(Pressed, thenMs: 29);
        Assert.Equal(0, h.CapturePresses);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, h.CapturePresses);
        Assert.True(h.Panel.CaptureButton!.IsPressed);

        h.Capture(Released, thenMs: 100);

        Assert.Equal(1, h.CapturePresses);
        Assert.False(h.Panel.CaptureButton.IsPressed);
        Assert.Equal(0, h.ClassCyclePresses);
    }

    [Fact]
    public void Contact_bounce_on_press_and_on_release_yields_exactly_one_press_per_push()
    {
        using var h = new GpioPanelHarness();

        foreach (var (level, ms) in new[] { (Pressed, 2), (Released, 3), (Pressed, 1), (Released, 4), (Pressed, 60) })
        {
            h.Capture(level, ms);
        }

        Assert.Equal(1, h.CapturePresses);
        foreach (var (level, ms) in new[] { (Released, 3), (Pressed, 2), (Released, 5), (Pressed, 1), (Released, 60) })
        {
            h.Capture(level, ms);
        }

        Assert.Equal(1, h.CapturePresses);
        h.Capture(Pressed, 2);
        h.Capture(Released, 1);
        h.Capture(Pressed, 40);
        Assert.Equal(2, h.CapturePresses);
    }

    [Fact]
    public void A_glitch_shorter_than_the_debounce_time_is_not_a_press()
    {
        using var h = new GpioPanelHarness();

        h.Capture(Pressed, thenMs: 10);
        h.Capture(Released, thenMs: 100);

        Assert.Equal(0, h.CapturePresses);
        Assert.Equal(0, h.Panel.CaptureButton!.PressCount);
    }

    [Fact]
    public void The_two_buttons_report_separately()
    {
        using var h = new GpioPanelHarness();

        h.Driver.SetInput(ClassCyclePin, Pressed);
        h.Time.Advance(TimeSpan.FromMilliseconds(50));
        h.Driver.SetInput(ClassCyclePin, Released);
        h.Time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, h.ClassCyclePresses);
        Assert.Equal(0, h.CapturePresses);
    }

    [Fact]
    public void Active_low_buttons_use_the_pull_up_and_active_high_ones_the_pull_down_and_press_on_a_rising_edge()
    {
        using (var low = new GpioPanelHarness())
        {
            Assert.Equal(PinMode.InputPullUp, low.Driver.ModeOf(CapturePin));
        }

        using var high = new GpioPanelHarness(o => o.ButtonsActiveLow = false);
        Assert.Equal(PinMode.InputPullDown, high.Driver.ModeOf(CapturePin));

        high.Capture(PinValue.High, thenMs: 40);

        Assert.Equal(1, high.CapturePresses);
    }

    [Fact]
    public void Without_pull_resistors_the_line_is_a_plain_input_and_still_debounced()
    {
        using var h = new GpioPanelHarness(
            driver: new FakeGpioDriver(supportsPullResistors: false),
            beforeOpen: d =>
            {
                d.SetInput(CapturePin, Released);
                d.SetInput(ClassCyclePin, Released);
            });

        Assert.Equal(PinMode.Input, h.Driver.ModeOf(CapturePin));
        h.Capture(Pressed, thenMs: 40);
        Assert.Equal(1, h.CapturePresses);
    }

    [Fact]
    public void A_button_held_at_startup_counts_only_after_it_is_released_and_pressed_again()
    {
        using var h = new GpioPanelHarness(beforeOpen: d => d.SetInput(CapturePin, Pressed));

        Assert.True(h.Panel.CaptureButton!.IsPressed);
        h.Capture(Released, thenMs: 40);
        Assert.Equal(0, h.CapturePresses);
        h.Capture(Pressed, thenMs: 40);
        Assert.Equal(1, h.CapturePresses);
    }
}
