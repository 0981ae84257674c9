using EdgeRuntime.Novelty;

namespace EdgeRuntime.Drift;

/// <summary>
/// Watches a sliding window of live frames for a field that moved away from the head's calibration data.
/// <list type="bullet">
/// <item>embeddingShift: ‖mean over the window of (P·φ(x) − P·μ_nearest)‖², the standardised mean shift of whitened
/// features from their nearest class mean. Frames of any mix of known classes average to ~0; a new camera, light or
/// object moves all of them the same way. A steady scene is one frame repeated, so its threshold is a 99 % upper
/// prediction bound for one held-out frame, widened on small calibration sets (calibrated with the head,
/// <see cref="NoveltyReport.ShiftThreshold"/>, <see cref="ShiftThreshold"/>).</item>
/// <item>unknownRate, classBalance (total variation from the training balance).</item>
/// <item>image health: dark or washed out, no contrast, blurred (against the first healthy window), frozen.</item>
/// </list>
/// Each statistic has a hysteresis latch driven by <see cref="TimeProvider"/>. Thread-safe; O(D) work per frame.
/// </summary>
public sealed class DriftMonitor
{
    private const string Shift = "embeddingShift", Unknown = "unknownRate", Balance = "classBalance", Brightness = "brightness",
        Contrast = "contrast", Sharpness = "sharpness", Frozen = "frozenSeconds";

    private static readonly string[] Order = [Brightness, Frozen, Contrast, Sharpness, Shift, Unknown, Balance];

    private readonly DriftOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HysteresisLatch> _latches;
    private readonly FrameHealth[] _health;
    private readonly int[] _predicted;
    private readonly bool[] _unknown;
    private int _next;
    private int _count;
    private NoveltyDetector? _reference;
    private float[] _residuals = [];
    private double[] _residualSum = [];
    private int[] _classCounts = [];
    private int _residualCount;
    private double? _referenceSharpness;
    private DateTimeOffset _lastChange;
    private DateTimeOffset? _alarmSince;
    private long _alarms;
    private IReadOnlyList<DriftStatistic> _statistics = [];

    public DriftMonitor(DriftOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        (_options, _time) = (options, time);
        _health = new FrameHealth[options.WindowFrames];
        _predicted = new int[options.WindowFrames];
        _unknown = new bool[options.WindowFrames];
        var (raise, clear) = (TimeSpan.FromSeconds(options.RaiseAfterSeconds), TimeSpan.FromSeconds(options.ClearAfterSeconds));
        _latches = Order.ToDictionary(n => n, _ => new HysteresisLatch(raise, clear));
        _lastChange = time.GetUtcNow();
    }

    /// <summary>Raised when the alarm or a statistic raises or clears, with the new report.</summary>
    public event EventHandler<DriftReport>? Changed;

    /// <summary>
    /// The head the embedding statistics compare against (null: a head without a novelty model, or none). The
    /// embedding window restarts; image health carries on, it is about the camera.
    /// </summary>
    public void SetReference(NoveltyDetector? reference)
    {
        lock (_gate)
        {
            _reference = reference;
            int d = reference?.Model.Dimension ?? 0, k = reference?.Model.ClassCount ?? 0;
            _residuals = new float[_options.WindowFrames * d];
            _residualSum = new double[d];
            _classCounts = new int[k];
            _residualCount = 0;
            Array.Fill(_predicted, -1);
            foreach (var name in new[] { Shift, Unknown, Balance })
            {
                _latches[name].Reset();
            }
        }
    }

    /// <summary>Adds one frame.</summary>
    /// <param name="whitened">The head's whitened features of the frame (<see cref="NoveltyGraph.FeaturesOutput"/>); empty without a novelty model.</param>
    /// <param name="predicted">The head's best class index, or −1 without a head.</param>
    public void Observe(FrameHealth health, ReadOnlySpan<float> whitened, int predicted, bool unknown)
    {
        DriftReport? changed = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            int slot = _next;
            _next = (_next + 1) % _health.Length;
            bool full = _count == _health.Length;
            _count = Math.Min(_count + 1, _health.Length);
            if (full && _predicted[slot] >= 0 && _predicted[slot] < _classCounts.Length)
            {
                _classCounts[_predicted[slot]]--;
            }

            _health[slot] = health;
            _unknown[slot] = unknown;
            _predicted[slot] = -1;
            if (_reference is { } reference && whitened.Length == reference.Model.Dimension && predicted >= 0 && predicted < _classCounts.Length)
            {
                AddResidual(reference.Model, slot, whitened);
                _predicted[slot] = predicted;
                _classCounts[predicted]++;
            }

            if (float.IsNaN(health.Change) || health.Change > _options.FrozenChange)
            {
                _lastChange = now;
            }

            bool wasAlarm = _alarmSince is not null;
            bool any = Evaluate(now);
            if (any || wasAlarm != (_alarmSince is not null))
            {
                changed = BuildReport();
            }
        }

        if (changed is not null)
        {
            Changed?.Invoke(this, changed);
        }
    }

    public DriftReport Report()
    {
        lock (_gate)
        {
            return BuildReport();
        }
    }

    private void AddResidual(NoveltyModel model, int slot, ReadOnlySpan<float> whitened)
    {
        int d = model.Dimension;
        var stored = _residuals.AsSpan(slot * d, d);
        bool replacing = _residualCount == _health.Length;
        var mean = model.WhitenedMean(model.NearestClass(whitened));
        for (int j = 0; j < d; j++)
        {
            float r = whitened[j] - mean[j];
            _residualSum[j] += r - (replacing ? stored[j] : 0);
            stored[j] = r;
        }

        _residualCount = Math.Min(_residualCount + 1, _health.Length);
    }

    private bool Evaluate(DateTimeOffset now)
    {
        bool ready = _count >= DriftOptions.MinimumWindowFrames;
        double brightness = 0, contrast = 0, sharpness = 0;
        for (int i = 0; i < _count; i++)
        {
            (brightness, contrast, sharpness) = (brightness + _health[i].Brightness, contrast + _health[i].Contrast, sharpness + _health[i].Sharpness);
        }

        (brightness, contrast, sharpness) = (brightness / Math.Max(_count, 1), contrast / Math.Max(_count, 1), sharpness / Math.Max(_count, 1));
        bool dark = brightness < _options.DarkBrightness, bright = brightness > _options.BrightBrightness, flat = contrast < _options.MinimumContrast;
        if (_referenceSharpness is null && _count == _health.Length && !dark && !bright && !flat)
        {
            _referenceSharpness = sharpness;
        }

        double frozen = (now - _lastChange).TotalSeconds;
        double ratio = _options.ClearRatio;
        var statistics = new List<DriftStatistic>();
        bool changed = false;

        void Add(string name, double? value, double? threshold, bool beyond, bool inside, string reason, bool alarming = true)
        {
            var latch = _latches[name];
            changed |= value is not null && latch.Update(beyond, inside, now);
            statistics.Add(new DriftStatistic(name, value is { } v ? Math.Round(v, 4) : null, threshold is { } t ? Math.Round(t, 4) : null,
                latch.Raised, latch.Raised ? reason : null, latch.RaisedAt, alarming));
        }

        double? Ready(double value) => ready ? value : null;
        Add(Brightness, Ready(brightness), dark || brightness < 128 ? _options.DarkBrightness : _options.BrightBrightness, ready && (dark || bright),
            brightness > _options.DarkBrightness / ratio && brightness < 255 - ((255 - _options.BrightBrightness) / ratio),
            dark ? "Frames are dark: the lens may be covered or the lights off." : "Frames are washed out: too much light or a failed exposure.");
        // A dark or flat frame cannot show change: the covered lens is the reason, not a frozen stream.
        Add(Frozen, frozen, _options.FrozenSeconds, frozen >= _options.FrozenSeconds && !dark && !flat, frozen < _options.FrozenSeconds * ratio || dark || flat,
            "The image has not changed: the camera or its stream is frozen.");
        Add(Contrast, Ready(contrast), _options.MinimumContrast, ready && flat && !dark && !bright, contrast > _options.MinimumContrast / ratio,
            "Frames have almost no contrast: fog, a cover or a failed exposure.");
        double? blurThreshold = _referenceSharpness * _options.BlurRatio;
        Add(Sharpness, _referenceSharpness is null ? null : Ready(sharpness), blurThreshold,
            ready && blurThreshold is { } b && sharpness < b && !dark && !bright && !flat, blurThreshold is { } c && sharpness > c / ratio,
            "Frames are blurred: the camera is out of focus, the lens dirty or fogged.");

        double? shift = null, threshold = null, unknownRate = null, balance = null;
        if (_reference is { } reference && _residualCount >= DriftOptions.MinimumWindowFrames)
        {
            double sum = 0;
            foreach (var s in _residualSum)
            {
                sum += (s / _residualCount) * (s / _residualCount);
            }

            (shift, threshold) = (sum, reference.Settings.ShiftThreshold * _options.ShiftThresholdScale);
            var shares = reference.Model.ClassShares;
            balance = 0.5 * shares.Select((p, k) => Math.Abs(p - ((double)_classCounts[k] / _residualCount))).Sum();
        }

        if (ready)
        {
            int unknowns = 0;
            for (int i = 0; i < _count; i++)
            {
                unknowns += _unknown[i] ? 1 : 0;
            }

            unknownRate = (double)unknowns / _count;
        }

        Add(Shift, shift, threshold, shift > threshold, shift < threshold * ratio,
            "The scene's features moved away from the calibration data (new camera, light or objects): recalibration recommended.");
        Add(Unknown, unknownRate, _options.UnknownRateThreshold, unknownRate > _options.UnknownRateThreshold, unknownRate < _options.UnknownRateThreshold * ratio,
            "Many frames look like no known class: new objects, or a camera change; review the hard samples.");
        Add(Balance, balance, _options.ClassBalanceThreshold, balance > _options.ClassBalanceThreshold, balance < _options.ClassBalanceThreshold * ratio,
            "Predicted classes are far from the calibration balance.", _options.AlarmOnClassBalance);
        _statistics = statistics;

        bool alarm = statistics.Any(s => s.Raised && s.Alarming);
        if (alarm && _alarmSince is null)
        {
            _alarmSince = now;
            _alarms++;
        }
        else if (!alarm)
        {
            _alarmSince = null;
        }

        return changed;
    }

    private DriftReport BuildReport()
    {
        var raised = _statistics.Where(s => s.Raised && s.Alarming).ToList();
        return new DriftReport(
            _alarmSince is not null,
            raised.Any(s => s.Name is Shift or Unknown),
            [.. raised.Select(s => s.Reason!)],
            _statistics,
            _count,
            DriftOptions.MinimumWindowFrames,
            _alarmSince,
            _alarms);
    }
}
