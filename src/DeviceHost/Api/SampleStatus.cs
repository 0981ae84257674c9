namespace DeviceHost.Api;

/// <summary>The sample store in /status: the total and each class's split.</summary>
public sealed record SampleStatus(int Total, IReadOnlyList<ClassSamples> Classes);
