namespace DeviceHost.Api;

/// <summary>{"label": "..."}</summary>
public sealed record LabelRequest(string? Label);

/// <summary>{"newLabel": "..."}</summary>
public sealed record RenameRequest(string? NewLabel);

/// <summary>
/// {"headKind": "linear"|"hidden", "force": false, "note": "...", "instant": false}; <c>instant</c> asks for the
/// imprinted head (no training, milliseconds), which a full training follows once it is active
/// (<c>Calibration:InstantFollowUp</c>).
/// </summary>
public sealed record TrainApiRequest(string? HeadKind, bool Force, string? Note, bool Instant = false);

/// <summary>{"scene": "stripes"}</summary>
public sealed record SceneRequest(string? Scene);
