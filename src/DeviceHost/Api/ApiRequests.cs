namespace DeviceHost.Api;

/// <summary>{"label": "..."}</summary>
public sealed record LabelRequest(string? Label);

/// <summary>{"newLabel": "..."}</summary>
public sealed record RenameRequest(string? NewLabel);

/// <summary>{"headKind": "linear"|"hidden", "force": false, "note": "..."}</summary>
public sealed record TrainApiRequest(string? HeadKind, bool Force, string? Note);

/// <summary>{"scene": "stripes"}</summary>
public sealed record SceneRequest(string? Scene);
