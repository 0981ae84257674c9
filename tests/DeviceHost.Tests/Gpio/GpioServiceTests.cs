using System.Device.Gpio;
using System.Runtime.Versioning;
using DeviceHost.Gpio;
using DeviceHost.Pipeline;
using DeviceHost.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceHost.Tests.Gpio;

/// <summary>The field panel wired into the real service: buttons label live frames, the LED shows the state.</summary>
[SupportedOSPlatform("linux")]
public sealed class GpioServiceTests
{
    private const int Capture = 5;
    private const int Cycle = 6;
    private const int Led = 12;

    [Fact]
    public async Task The_capture_button_labels_the_live_frame_with_the_selected_class_and_the_cycle_button_moves_on()
    {
        var driver = new FakeGpioDriver();
        driver.SetInput(Capture, PinValue.High);
        driver.SetInput(Cycle, PinValue.High);
        await using var host = await DeviceHostRunner.StartAsync(
            new Dictionary<string, string?>
            {
                ["Pipeline:Source"] = "synthetic:?fps=8",
                ["Gpio:Enabled"] = "true",
                ["Gpio:CaptureButtonPin"] = "5",
                ["Gpio:ClassCycleButtonPin"] = "6",
                ["Gpio:StatusLedPin"] = "12",
                ["Gpio:DebounceMilliseconds"] = "5",
            },
            configureTestServices: services => services.AddSingleton<Func<GpioDriver>>(() => driver));

        await host.AuthorizedClient.PostJsonAsync("classes", "{\"label\":\"ripe\"}");
        await host.AuthorizedClient.PostJsonAsync("classes", "{\"label\":\"unripe\"}");
        await Poll.UntilTrueAsync(async () => (await host.Client.GetAsync(HostApi.Path("frame.jpg"))).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "a first frame");

        var panel = host.GetService<GpioService>();
        Assert.Equal("ripe", panel.SelectedClass);
        await PressAsync(driver, Capture, async () => await CountAsync(host, "ripe") == 1, "a button capture labelled ripe");
        var firstCaptured = host.GetService<LatestFrame>().Snapshot()!.Value.CapturedAt;
        await PressAsync(driver, Cycle, () => Task.FromResult(panel.SelectedClass == "unripe"), "the cycle button selecting unripe");

        // On a loaded machine the camera loop may not have moved on yet, and the same frame under another label is
        // refused as a duplicate (rightly): wait for a new frame so the second press has one to label.
        await Poll.UntilTrueAsync(() => Task.FromResult(host.GetService<LatestFrame>().Snapshot()!.Value.CapturedAt > firstCaptured), TimeSpan.FromSeconds(30), "a new frame");
        await PressAsync(driver, Capture, async () => await CountAsync(host, "unripe") == 1, "a button capture labelled unripe");
        Assert.Equal(1, await CountAsync(host, "ripe"));

        // No head yet: the LED blinks the needs-calibration pattern, so it has been switched on and off.
        await Poll.UntilTrueAsync(() => Task.FromResult(driver.WritesTo(Led).Distinct().Count() == 2), TimeSpan.FromSeconds(10), "the status LED blinking");
    }

    [Fact]
    public async Task The_status_led_shows_the_drift_pattern_while_the_lens_is_covered_and_leaves_it_once_uncovered()
    {
        var driver = new FakeGpioDriver();
        await using var host = await DeviceHostRunner.StartAsync(
            new Dictionary<string, string?>
            {
                ["Pipeline:Source"] = "synthetic:?scene=stripes&fps=8",
                ["Gpio:Enabled"] = "true",
                ["Gpio:StatusLedPin"] = "12",
                ["Drift:WindowFrames"] = "16",
                ["Drift:RaiseAfterSeconds"] = "0",
                ["Drift:ClearAfterSeconds"] = "0",
            },
            configureTestServices: services => services.AddSingleton<Func<GpioDriver>>(() => driver));
        var panel = host.GetService<GpioService>();
        await Poll.UntilTrueAsync(() => Task.FromResult(panel.ShownPattern == LedPattern.NeedsCalibration), TimeSpan.FromSeconds(30), "the needs-calibration pattern");

        await host.AuthorizedClient.PostJsonAsync("source/scene", "{\"scene\":\"covered\"}");
        await Poll.UntilTrueAsync(() => Task.FromResult(panel.ShownPattern == LedPattern.Drift), TimeSpan.FromSeconds(30), "the drift pattern on a covered lens");
        var status = await host.Client.GetJsonAsync("status");
        Assert.True(status.GetProperty("drift").GetProperty("alarm").GetBoolean(), status.GetProperty("drift").ToString());

        await host.AuthorizedClient.PostJsonAsync("source/scene", "{\"scene\":\"stripes\"}");
        await Poll.UntilTrueAsync(() => Task.FromResult(panel.ShownPattern == LedPattern.NeedsCalibration), TimeSpan.FromSeconds(30), "the needs-calibration pattern once uncovered");
    }

    /// <summary>Holds the button down until its effect shows (the debounce needs the line to stay quiet), then releases it.</summary>
    private static async Task PressAsync(FakeGpioDriver driver, int pin, Func<Task<bool>> effect, string what)
    {
        driver.SetInput(pin, PinValue.Low);
        await Poll.UntilTrueAsync(effect, TimeSpan.FromSeconds(10), what);
        driver.SetInput(pin, PinValue.High);
    }

    private static async Task<int> CountAsync(DeviceHostRunner host, string label)
    {
        var classes = await host.Client.GetJsonAsync("classes");
        return classes.EnumerateArray().Where(c => c.GetProperty("label").GetString() == label)
            .Select(c => c.GetProperty("train").GetInt32() + c.GetProperty("holdout").GetInt32()).FirstOrDefault();
    }
}
