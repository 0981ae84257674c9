using System.Globalization;
using System.Text.Json;
using DeviceHost.Api;
using DeviceHost.Calibration;
using DeviceHost.Sources;

namespace DeviceHost.Fleet;

/// <summary>The facts of one /status document (<see cref="DeviceStatus"/>) that fleet events come from, and the transitions between two.</summary>
public sealed record StatusSnapshot
{
    public required string Health { get; init; }

    public int? HeadVersion { get; init; }

    public IReadOnlyList<string> HeadLabels { get; init; } = [];

    public double? HeadAccuracy { get; init; }

    public string? HeadTrigger { get; init; }

    public FrameSourceState? SourceState { get; init; }

    public string? TrainingId { get; init; }

    public TrainingJobState? TrainingState { get; init; }

    public string? TrainingError { get; init; }

    /// <summary>From /status's drift section once the device reports one (<c>drift.recalibrationRecommended</c>).</summary>
    public bool RecalibrationRecommended { get; init; }

    /// <summary>The drift section of /status as JSON; null while /status has none.</summary>
    public JsonElement? Drift { get; init; }

    /// <summary>The precision the backbone runs at (/status <c>precision.active</c>: "fp32", "int8").</summary>
    public string? Precision { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public static StatusSnapshot From(DeviceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var json = JsonSerializer.SerializeToElement(status, FleetJson.Options);
        JsonElement? drift = json.TryGetProperty("drift", out var d) && d.ValueKind == JsonValueKind.Object ? d.Clone() : null;
        var head = status.ActiveHead;
        return new StatusSnapshot
        {
            Health = status.Backbone is null ? "starting"
                : head is null ? "needsCalibration"
                : status.Errors.Count > 0 || status.Source.State != FrameSourceState.Streaming ? "degraded"
                : "ok",
            HeadVersion = head?.Version,
            HeadLabels = head?.Labels ?? [],
            HeadAccuracy = head?.Accuracy,
            HeadTrigger = head?.Summary?.Trigger.Source is { } trigger ? JsonNamingPolicy.CamelCase.ConvertName(trigger.ToString()) : null,
            SourceState = status.Source.State,
            TrainingId = status.Training?.Id,
            TrainingState = status.Training?.State,
            TrainingError = status.Training?.Error,
            RecalibrationRecommended = drift is { } dr && dr.TryGetProperty("recalibrationRecommended", out var r) && r.ValueKind == JsonValueKind.True,
            Drift = drift,
            Precision = status.Precision is { } precision ? JsonNamingPolicy.CamelCase.ConvertName(precision.Active.ToString()) : null,
            Errors = status.Errors,
        };
    }

    /// <summary>The events that going from <paramref name="previous"/> to this snapshot makes (at start, only what is already wrong).</summary>
    public IEnumerable<(string Kind, string Message, JsonElement? Data)> EventsSince(StatusSnapshot? previous)
    {
        var inv = CultureInfo.InvariantCulture;
        if (HeadVersion is { } version && previous is not null && previous.HeadVersion != version)
        {
            yield return (FleetEvent.HeadActivated, string.Create(inv, $"Head v{version} is active ({string.Join(", ", HeadLabels)}), accuracy {HeadAccuracy:0.###}."),
                JsonSerializer.SerializeToElement(new { version, labels = HeadLabels, accuracy = HeadAccuracy, trigger = HeadTrigger, previous = previous.HeadVersion }, FleetJson.Options));
        }

        if (TrainingState == TrainingJobState.Failed && (previous is null || previous.TrainingId != TrainingId || previous.TrainingState != TrainingJobState.Failed))
        {
            yield return (FleetEvent.TrainingFailed, $"Training {TrainingId} failed: {TrainingError}", JsonSerializer.SerializeToElement(new { id = TrainingId, error = TrainingError }, FleetJson.Options));
        }

        bool down = IsDown(SourceState);
        bool wasDown = previous is not null && IsDown(previous.SourceState);
        if (down && !wasDown)
        {
            yield return (FleetEvent.SourceDown, $"The camera source is {SourceState}.", JsonSerializer.SerializeToElement(new { state = SourceState }, FleetJson.Options));
        }
        else if (wasDown && SourceState == FrameSourceState.Streaming)
        {
            yield return (FleetEvent.SourceRecovered, "The camera source is streaming again.", null);
        }

        if (RecalibrationRecommended && previous?.RecalibrationRecommended != true)
        {
            yield return (FleetEvent.RecalibrationRecommended, "The device recommends recalibration (drift).", Drift);
        }
    }

    private static bool IsDown(FrameSourceState? state) => state is FrameSourceState.Stalled or FrameSourceState.Reconnecting or FrameSourceState.Failed;
}
