using System.Globalization;
using System.Text.Json;

namespace DeviceHost.Fleet;

/// <summary>The facts of one /status document that fleet events are derived from, and the transitions between two.</summary>
public sealed record StatusSnapshot
{
    public required string Health { get; init; }

    public int? HeadVersion { get; init; }

    public IReadOnlyList<string> HeadLabels { get; init; } = [];

    public double? HeadAccuracy { get; init; }

    public string? HeadTrigger { get; init; }

    public string? SourceState { get; init; }

    public string? TrainingId { get; init; }

    public string? TrainingState { get; init; }

    public string? TrainingError { get; init; }

    public bool RecalibrationRecommended { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public static StatusSnapshot From(JsonElement status)
    {
        var errors = status.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ToString()).ToList() : [];
        int? head = Int(status, "activeHead", "version");
        var source = String(status, "source", "state");
        bool backbone = status.TryGetProperty("backbone", out var b) && b.ValueKind == JsonValueKind.Object;
        var labels = status.TryGetProperty("activeHead", out var h) && h.ValueKind == JsonValueKind.Object && h.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(x => x.ToString()).ToList() : [];
        string? trigger = status.TryGetProperty("activeHead", out var ah) && ah.ValueKind == JsonValueKind.Object && ah.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty("trigger", out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("source", out var ts) ? ts.ToString() : null;
        return new StatusSnapshot
        {
            Health = !backbone ? "starting" : head is null ? "needsCalibration" : errors.Count > 0 || (source is not null && !string.Equals(source, "streaming", StringComparison.OrdinalIgnoreCase)) ? "degraded" : "ok",
            HeadVersion = head,
            HeadLabels = labels,
            HeadAccuracy = Double(status, "activeHead", "accuracy"),
            HeadTrigger = trigger,
            SourceState = source,
            TrainingId = String(status, "training", "id"),
            TrainingState = String(status, "training", "state"),
            TrainingError = String(status, "training", "error"),
            RecalibrationRecommended = Bool(status, "drift", "recalibrationRecommended") ?? Bool(status, "recalibrationRecommended") ?? false,
            Errors = errors,
        };
    }

    /// <summary>The events that going from <paramref name="previous"/> to this snapshot makes; none for the first one but what is already wrong.</summary>
    public IEnumerable<(string Kind, string Message, JsonElement? Data)> EventsSince(StatusSnapshot? previous)
    {
        var inv = CultureInfo.InvariantCulture;
        if (HeadVersion is { } version && previous is not null && previous.HeadVersion != version)
        {
            yield return (FleetEvent.HeadActivated, string.Create(inv, $"Head v{version} is active ({string.Join(", ", HeadLabels)}), accuracy {HeadAccuracy:0.###}."),
                JsonSerializer.SerializeToElement(new { version, labels = HeadLabels, accuracy = HeadAccuracy, trigger = HeadTrigger, previous = previous.HeadVersion }, FleetJson.Options));
        }

        if (string.Equals(TrainingState, "failed", StringComparison.OrdinalIgnoreCase)
            && (previous is null || previous.TrainingId != TrainingId || !string.Equals(previous.TrainingState, "failed", StringComparison.OrdinalIgnoreCase)))
        {
            yield return (FleetEvent.TrainingFailed, $"Training {TrainingId} failed: {TrainingError}", JsonSerializer.SerializeToElement(new { id = TrainingId, error = TrainingError }, FleetJson.Options));
        }

        bool down = IsDown(SourceState);
        bool wasDown = previous is not null && IsDown(previous.SourceState);
        if (down && !wasDown && (previous is not null || SourceState is not null))
        {
            yield return (FleetEvent.SourceDown, $"The camera source is {SourceState}.", JsonSerializer.SerializeToElement(new { state = SourceState }, FleetJson.Options));
        }
        else if (!down && wasDown && string.Equals(SourceState, "streaming", StringComparison.OrdinalIgnoreCase))
        {
            yield return (FleetEvent.SourceRecovered, "The camera source is streaming again.", null);
        }

        if (RecalibrationRecommended && previous?.RecalibrationRecommended != true)
        {
            yield return (FleetEvent.RecalibrationRecommended, "The device recommends recalibration (drift).", null);
        }
    }

    internal static string? String(JsonElement root, params string[] path) => Find(root, path) is { ValueKind: not JsonValueKind.Null } v ? v.ToString() : null;

    internal static int? Int(JsonElement root, params string[] path) => Find(root, path) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;

    internal static double? Double(JsonElement root, params string[] path) => Find(root, path) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    internal static bool? Bool(JsonElement root, params string[] path) => Find(root, path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;

    private static bool IsDown(string? state) => state is not null && (state.Equals("stalled", StringComparison.OrdinalIgnoreCase) || state.Equals("reconnecting", StringComparison.OrdinalIgnoreCase) || state.Equals("failed", StringComparison.OrdinalIgnoreCase));

    private static JsonElement? Find(JsonElement root, string[] path)
    {
        var current = root;
        foreach (var part in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}
