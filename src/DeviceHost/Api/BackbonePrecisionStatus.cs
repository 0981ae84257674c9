using EdgeRuntime.Embeddings;
using EdgeRuntime.Quantization;

namespace DeviceHost.Api;

/// <summary>The backbone's precision in /status: configured and active, why they differ, the background quantization's stage, and the int8 model's calibration set and parity figures.</summary>
/// <param name="Configured">Backbone:Precision.</param>
/// <param name="Active">Fp32 or Int8.</param>
/// <param name="Reason">Why the active precision is not the configured one, or the last problem.</param>
/// <param name="Stage">What the background quantization does: idle, waiting-for-images, calibrating, parity ..., re-embedding, done, failed.</param>
/// <param name="StageDone">Images done in the stage.</param>
/// <param name="StageTotal">Images in the stage.</param>
/// <param name="StageMessage">Why it waits, or why it failed.</param>
/// <param name="Quantization">The int8 model's (or the refused candidate's) run: calibration set, method and parity.</param>
public sealed record BackbonePrecisionStatus(
    BackbonePrecision Configured,
    BackbonePrecision Active,
    string? Reason,
    string Stage,
    int StageDone,
    int StageTotal,
    string? StageMessage,
    QuantizationReport? Quantization);
