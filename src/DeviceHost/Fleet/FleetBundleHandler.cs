using System.Security.Cryptography;
using DeviceHost.Calibration;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// Receives head bundles from edgeruntime/&lt;site&gt;/fleet/heads, has the engine verify and gate them on this
/// device's samples, reloads the frame loop's head when one was activated, and queues the outcome for the fleet.
/// Borrows the fleet public key.
/// </summary>
public sealed class FleetBundleHandler : IFleetInboundHandler
{
    private readonly CalibrationService _calibration;
    private readonly DeviceHost.Pipeline.BackboneService _backbone;
    private readonly FleetOptions _options;
    private readonly FleetOutbox _outbox;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ECDsa? _publicKey;
    private readonly string _topic;
    private FleetHeadAdopter? _adopter;
    private BundleLedger? _ledger;
    private BundleOutcome? _lastOutcome;

    public FleetBundleHandler(CalibrationService calibration, DeviceHost.Pipeline.BackboneService backbone, FleetOptions options, FleetPublicKey fleetKey, FleetOutbox outbox, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_calibration, _backbone, _options, _outbox, _loggers, _time) = (calibration, backbone, options, outbox, loggers, time);
        _logger = loggers.CreateLogger<FleetBundleHandler>();
        _topic = Topics.Heads(options.Site!);
        ArgumentNullException.ThrowIfNull(fleetKey);
        _publicKey = fleetKey.Key;
        if (_publicKey is null)
        {
            _logger.LogWarning("Fleet:BundlePublicKeyFile is not set: this device accepts no head bundles");
        }
    }

    public IReadOnlyList<string> TopicFilters => _publicKey is null ? [] : [_topic];

    /// <summary>
    /// The outcome of the last bundle received, for the retained state; after a restart, the last one accepted (from
    /// the ledger), so a decision whose outcome message died with a crashed broker stays visible. Null before the
    /// data directory is open.
    /// </summary>
    public BundleOutcome? LastOutcome
    {
        get
        {
            try
            {
                return _lastOutcome ?? (_calibration.IsOpen ? Ledger().Latest : null);
            }
            catch (EdgeRuntime.EdgeRuntimeException)
            {
                // A corrupt ledger is reported when a bundle arrives (it refuses to apply); the state goes on without it.
                return null;
            }
        }
    }

    /// <summary>Raised after each bundle was decided (and its outcome queued).</summary>
    public event EventHandler<BundleOutcome>? Decided;

    public bool Handles(string topic) => string.Equals(topic, _topic, StringComparison.Ordinal);

    public async Task HandleAsync(FleetInbound message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_publicKey is null || message.Payload.IsEmpty)
        {
            // An empty retained message is how a bundle is withdrawn from the topic: nothing to apply.
            return;
        }

        // Verification and evaluation are CPU work; keep them off the broker client's receive path.
        var outcome = await Task.Run(() => Adopter().Apply(message.Payload, _publicKey, _options.MaxBundleBytes), cancellationToken).ConfigureAwait(false);
        if (outcome.Activated && !outcome.AlreadyApplied)
        {
            _calibration.ReloadActiveHead();
        }

        _lastOutcome = outcome;
        _outbox.TryEnqueue(Topics.Outcomes(_options.Site!, _options.DeviceId!), FleetJson.Serialize(new FleetOutcome(_options.DeviceId!, _options.Site!, outcome)), 1, retain: false);
        Decided?.Invoke(this, outcome);
    }

    private FleetHeadAdopter Adopter()
    {
        if (_adopter is null)
        {
            var workspace = _calibration.Workspace;
            _adopter = new FleetHeadAdopter(workspace, _backbone.Engine, Ledger(), _loggers.CreateLogger<FleetHeadAdopter>(), _time);
        }

        return _adopter;
    }

    // One instance only (the telemetry thread and the handler race here): two would each hold their own copy of the file.
    private BundleLedger Ledger() => LazyInitializer.EnsureInitialized(ref _ledger, () => new BundleLedger(_calibration.Workspace.DataDirectory));
}
