using System.Device.Gpio;
using DeviceHost.Calibration;
using DeviceHost.Pipeline;
using DeviceHost.Sources;
using EdgeRuntime.Samples;

namespace DeviceHost.Gpio;

/// <summary>
/// The field panel: the capture button labels the current frame with the selected class, the cycle button selects
/// the next class, and the LED shows the device's state. Does nothing when GPIO is off or absent. Owns the panel.
/// </summary>
public sealed partial class GpioService(GpioOptions options, CalibrationService calibration, LatestFrame latest, ActiveHead head,
    TrainingJobRunner training, SupervisedFrameSource source, DeviceState state, Field.FieldWatch watch, TimeProvider time, ILoggerFactory loggers,
    Func<GpioDriver>? driverFactory = null) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<GpioService>();
    private readonly Lock _gate = new();
    private GpioPanel? _panel;
    private int _selected;

    /// <summary>The class the capture button labels with, or null before any class exists.</summary>
    public string? SelectedClass
    {
        get
        {
            var classes = Classes();
            lock (_gate)
            {
                return classes.Count == 0 ? null : classes[_selected % classes.Count];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _panel = GpioPanel.Create(options, time, loggers.CreateLogger<GpioPanel>(), driverFactory);
        if (!_panel.IsEnabled)
        {
            return;
        }

        _panel.CapturePressed += (_, _) => Capture();
        _panel.ClassCyclePressed += (_, _) => Cycle();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        try
        {
            do
            {
                try
                {
                    _panel.LedPattern = CurrentPattern();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The LED only reports state; failing to work it out or show it must not stop the service.
                    LogLedFailed(ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _panel?.Dispose();
    }

    /// <summary>The pattern the LED shows now (Off while GPIO is off or absent).</summary>
    public LedPattern ShownPattern => _panel?.LedPattern ?? LedPattern.Off;

    /// <summary>
    /// Fault beats training beats drift beats needs-calibration beats ready. Drift beats needs-calibration because a
    /// covered, frozen or blurred camera spoils the samples a technician is about to capture for the first head.
    /// </summary>
    public LedPattern CurrentPattern() =>
        source.Status.State is FrameSourceState.Failed || state.Errors.Count > 0 ? LedPattern.Fault
        : training.Current is { State: TrainingJobState.Running or TrainingJobState.Queued } ? LedPattern.Training
        : watch.Drift.Alarm ? LedPattern.Drift
        : head.Current is null ? LedPattern.NeedsCalibration
        : LedPattern.Ready;

    /// <summary>Labels the current frame with the selected class (the capture button).</summary>
    public void Capture()
    {
        try
        {
            CaptureCurrentFrame();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A full disk (IOException, SQLITE_FULL), a workspace still opening, anything: log it, keep the panel alive.
            LogCaptureFailed(ex.Message);
        }
    }

    private void CaptureCurrentFrame()
    {
        var label = SelectedClass;
        if (label is null)
        {
            LogNoClass();
            return;
        }

        if (latest.Snapshot() is not { } frame)
        {
            LogNoFrame();
            return;
        }

        var added = calibration.Workspace.AddSample(frame.Image, label, SampleSource.Gpio, "button capture", frame.Embedding, frame.CapturedAt);
        LogCaptured(added.Sample.Id, label);
    }

    /// <summary>Selects the next class (the cycle button).</summary>
    public void Cycle()
    {
        lock (_gate)
        {
            _selected++;
        }

        try
        {
            LogSelected(SelectedClass ?? "(none)");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCaptureFailed(ex.Message);
        }
    }

    private List<string> Classes() => calibration.IsOpen ? [.. calibration.Workspace.ClassCounts().Select(c => c.Label)] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capture button pressed but no class exists yet; create one first")]
    private partial void LogNoClass();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capture button pressed before the first camera frame")]
    private partial void LogNoFrame();

    [LoggerMessage(Level = LogLevel.Information, Message = "Button capture: sample {SampleId} labelled {Label}")]
    private partial void LogCaptured(long sampleId, string label);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Button capture failed: {Reason}")]
    private partial void LogCaptureFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status LED update failed: {Reason}")]
    private partial void LogLedFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Selected class for button captures: {Label}")]
    private partial void LogSelected(string label);
}
