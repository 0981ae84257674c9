namespace EdgeRuntime.Tests.Calibration;

/// <summary>A generated image file, its class, its bytes and the backbone's embedding of it.</summary>
public sealed record EmbeddedSample(string Path, string Label, byte[] Bytes, float[] Embedding);
