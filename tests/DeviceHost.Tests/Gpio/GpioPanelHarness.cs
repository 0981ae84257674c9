using System.Runtime.Versioning;
using System.Device.Gpio;
using DeviceHost.Gpio;
using EdgeRuntime.TestSupport.Logging;
using EdgeRuntime.TestSupport.Time;

namespace DeviceHost.Tests.Gpio;

/// <summary>A panel on a fake chip and a manual clock, counting the presses it reports.</summary>
[SupportedOSPlatform("linux")]
internal sealed class GpioPanelHarness : IDisposable
{
    public const int CapturePin = 5;
    public const int ClassCyclePin = 6;
    public const int LedPin = 12;

    private int _capturePresses;
    private int _classCyclePresses;

    public GpioPanelHarness(Action<GpioOptions>? configure = null, FakeGpioDriver? driver = null, Action<FakeGpioDriver>? beforeOpen = null)
    {
        Options = new GpioOptions
        {
            Enabled = true,
            CaptureButtonPin = CapturePin,
            ClassCycleButtonPin = ClassCyclePin,
            StatusLedPin = LedPin,
            DebounceMilliseconds = 30,
        };
        configure?.Invoke(Options);
        Driver = driver ?? new FakeGpioDriver();
        beforeOpen?.Invoke(Driver);
        Panel = GpioPanel.Create(Options, Time, Logger, () => Driver);
        Panel.CapturePressed += (_, _) => Interlocked.Increment(ref _capturePresses);
        Panel.ClassCyclePressed += (_, _) => Interlocked.Increment(ref _classCyclePresses);
    }

    public GpioOptions Options { get; }

    public ManualTimeProvider Time { get; } = new();

    public RecordingLogger<GpioPanel> Logger { get; } = new();

    public FakeGpioDriver Driver { get; }

    public GpioPanel Panel { get; }

    public int CapturePresses => Volatile.Read(ref _capturePresses);

    public int ClassCyclePresses => Volatile.Read(ref _classCyclePresses);

    /// <summary>Drives the capture line to <paramref name="level"/>, then lets <paramref name="thenMs"/> pass.</summary>
    public void Capture(PinValue level, int thenMs)
    {
        Driver.SetInput(CapturePin, level);
        Time.Advance(TimeSpan.FromMilliseconds(thenMs));
    }

    public void Dispose() => Panel.Dispose();
}
