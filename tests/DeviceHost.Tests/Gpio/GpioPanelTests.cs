using System.Runtime.Versioning;
using DeviceHost.Gpio;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Logging;
using EdgeRuntime.TestSupport.Time;
using Microsoft.Extensions.Logging;
using static DeviceHost.Tests.Gpio.GpioPanelHarness;

namespace DeviceHost.Tests.Gpio;

[SupportedOSPlatform("linux")]
public sealed class GpioPanelTests
{
    [Fact]
    public void Gpio_off_in_configuration_touches_no_hardware_logs_once_and_ignores_led_changes()
    {
        var logger = new RecordingLogger<GpioPanel>();
        var driverRequests = 0;

        using var panel = GpioPanel.Create(new GpioOptions { Enabled = false, CaptureButtonPin = 5 }, new ManualTimeProvider(), logger, () =>
        {
            driverRequests++;
            return new FakeGpioDriver();
        });
        panel.LedPattern = LedPattern.Fault;

        Assert.False(panel.IsEnabled);
        Assert.Equal("GPIO is disabled in configuration", panel.DisabledReason);
        Assert.Equal(0, driverRequests);
        Assert.Equal(LedPattern.Off, panel.LedPattern);
        Assert.Null(panel.CaptureButton);
        Assert.Single(logger.Entries);
    }

    [Fact]
    public void Without_a_gpio_chip_the_panel_is_disabled_with_one_warning_and_no_exception()
    {
        using var dev = new TestDirectory("dev");
        var logger = new RecordingLogger<GpioPanel>();
        var options = new GpioOptions { Enabled = true, CaptureButtonPin = 5, StatusLedPin = 12 };

        using var panel = GpioPanel.Create(options, new ManualTimeProvider(), logger, driverFactory: null, devDirectory: dev.Path);

        Assert.False(panel.IsEnabled);
        Assert.Contains("no GPIO chip", panel.DisabledReason, StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("/dev/gpiochip", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chips_are_found_by_their_device_names()
    {
        using var dev = new TestDirectory("dev");
        File.WriteAllText(dev.Combine("gpiochip1"), string.Empty);
        File.WriteAllText(dev.Combine("gpiochip0"), string.Empty);
        File.WriteAllText(dev.Combine("video0"), string.Empty);

        Assert.Equal([dev.Combine("gpiochip0"), dev.Combine("gpiochip1")], GpioChips.Present(dev.Path));
        Assert.Empty(GpioChips.Present(dev.Combine("missing")));
    }

    [Fact]
    public void A_line_held_by_another_process_disables_the_panel_and_releases_what_was_opened()
    {
        using var h = new GpioPanelHarness(driver: new FakeGpioDriver(busyPin: LedPin));

        Assert.False(h.Panel.IsEnabled);
        Assert.Contains("busy", h.Panel.DisabledReason, StringComparison.Ordinal);
        Assert.False(h.Driver.IsOpen(CapturePin));
        Assert.False(h.Driver.IsOpen(ClassCyclePin));
        Assert.Equal(0, h.Driver.CallbackCount);
        Assert.True(h.Driver.Disposed);
        Assert.Equal(LogLevel.Warning, Assert.Single(h.Logger.Entries).Level);
    }

    [Fact]
    public void A_pin_beyond_the_chip_disables_the_panel_naming_the_problem()
    {
        using var h = new GpioPanelHarness(o => o.CaptureButtonPin = 200);

        Assert.False(h.Panel.IsEnabled);
        Assert.Contains("0..63", h.Panel.DisabledReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 5, 12)]
    [InlineData(5, 6, -1)]
    public void Duplicate_or_negative_pins_are_reported_as_a_configuration_error(int capture, int classCycle, int led)
    {
        var logger = new RecordingLogger<GpioPanel>();
        var options = new GpioOptions { Enabled = true, CaptureButtonPin = capture, ClassCycleButtonPin = classCycle, StatusLedPin = led };

        using var panel = GpioPanel.Create(options, new ManualTimeProvider(), logger, () => new FakeGpioDriver());

        Assert.False(panel.IsEnabled);
        Assert.Contains("distinct and not negative", panel.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public void Enabled_without_any_pin_stays_off_with_a_warning()
    {
        var logger = new RecordingLogger<GpioPanel>();

        using var panel = GpioPanel.Create(new GpioOptions { Enabled = true }, new ManualTimeProvider(), logger, () => new FakeGpioDriver());

        Assert.False(panel.IsEnabled);
        Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public void A_fully_wired_panel_opens_every_line_and_logs_its_wiring_once()
    {
        using var h = new GpioPanelHarness();

        Assert.True(h.Panel.IsEnabled);
        Assert.Null(h.Panel.DisabledReason);
        Assert.True(h.Driver.IsOpen(CapturePin));
        Assert.True(h.Driver.IsOpen(ClassCyclePin));
        Assert.True(h.Driver.IsOpen(LedPin));
        Assert.Equal(LogLevel.Information, Assert.Single(h.Logger.Entries).Level);
    }
}
