using EdgeRuntime.Embeddings;

namespace EdgeRuntime.Calibration;

/// <summary>Outcome of importing an image folder: new samples, duplicates skipped, files refused with reasons.</summary>
public sealed record ImportResult(int Added, int Duplicates, IReadOnlyList<ImageFailure> Failures);
