namespace DeviceHost.Field;

/// <summary>POST /review/assign and /review/discard: the chosen queue items, and the class to give them.</summary>
public sealed record ReviewRequest(IReadOnlyList<string>? Ids, string? Label);

/// <summary>POST /adapt: a folder on the device, else the newest live frames.</summary>
public sealed record AdaptApiRequest(string? Folder, int? Frames, bool? Coral, bool Force, string? Note);
