namespace EdgeRuntime.Samples;

/// <summary>Outcome of adding a sample.</summary>
/// <param name="Sample">The stored sample (the existing one when <paramref name="IsDuplicate"/>).</param>
/// <param name="IsDuplicate">The same bytes were already stored under the same label; nothing was written.</param>
public sealed record AddSampleResult(Sample Sample, bool IsDuplicate);
