using DeviceHost.Sources;

namespace DeviceHost.Api;

/// <summary>
/// The GET /status document: the contract the technician page (wwwroot/app.js), the CLI's <c>status</c> command and
/// monitoring read, so the compiler checks every field they rely on. Documented in docs/http-api.md; serialised with
/// the API's JSON options (camelCase names, enums as camelCase strings, nulls written).
/// <para>
/// Adding a section (drift, precision, fleet, ...) is a one-record change: write a <c>XStatus</c> record for it, add
/// <c>public XStatus? X { get; init; }</c> below, and set it in <see cref="StatusReport.Build"/> from the service that
/// owns the facts. Keep it nullable (null: the feature is off or has nothing to say yet), so older pages and CLIs, which
/// ignore fields they do not know, keep working; then document it in docs/http-api.md.
/// </para>
/// </summary>
public sealed record DeviceStatus
{
    /// <summary>The service's version (major.minor.patch).</summary>
    public string? Version { get; init; }

    public required double UptimeSeconds { get; init; }

    /// <summary>True while no head is running: the page shows its "calibrate me" banner.</summary>
    public required bool NeedsCalibration { get; init; }

    /// <summary>Null until the backbone has loaded.</summary>
    public BackboneStatus? Backbone { get; init; }

    /// <summary>Null until the backbone has loaded.</summary>
    public BackbonePrecisionStatus? Precision { get; init; }

    public required FrameSourceStatus Source { get; init; }

    public required PipelineStatus Pipeline { get; init; }

    /// <summary>Null while no head is running.</summary>
    public ActiveHeadStatus? ActiveHead { get; init; }

    /// <summary>Null while the data directory is still opening.</summary>
    public SampleStatus? Samples { get; init; }

    /// <summary>The running job, else the last one since the service started; null when none has run.</summary>
    public TrainingStatus? Training { get; init; }

    /// <summary>Drift monitor, example frames and review queue; null when <c>Drift:Enabled</c> is false.</summary>
    public Field.DriftStatus? Drift { get; init; }

    public required MemoryStatus Memory { get; init; }

    /// <summary>Human-readable problems an operator should see (e.g. a corrupt head that was skipped).</summary>
    public required IReadOnlyList<string> Errors { get; init; }
}
