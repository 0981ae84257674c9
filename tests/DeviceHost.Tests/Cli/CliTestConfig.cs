using EdgeRuntime.Calibration;

namespace DeviceHost.Tests.Cli;

/// <summary>
/// Configuration files CLI tests pass with --config: two ORT threads and no augmented views (they would multiply
/// backbone runs); otherwise the shipped calibration defaults, or, for crash tests, a fixed number of epochs without
/// early stopping so a training run lasts long enough to be interrupted.
/// </summary>
public static class CliTestConfig
{
    /// <summary>Epochs of <see cref="WriteLongTraining"/>.</summary>
    public const int LongEpochs = 300;

    /// <summary>Epochs when the calibration defaults apply (early stopping may end sooner).</summary>
    public static int DefaultEpochs => new CalibrationOptions().Epochs;

    public static string Write(string path)
    {
        File.WriteAllText(path, """
            {
              "Execution": { "IntraOpThreads": 2 },
              "Calibration": { "AugmentedViews": 0 }
            }
            """);
        return path;
    }

    /// <summary>
    /// Long training, and batch size 1 so an import stores its images in chunks of four with a progress line after
    /// each: crash tests can then kill it with chunks still to go.
    /// </summary>
    public static string WriteLongTraining(string path)
    {
        File.WriteAllText(path, $$"""
            {
              "Execution": { "IntraOpThreads": 2 },
              "Backbone": { "MaxBatchSize": 1 },
              "Calibration": { "AugmentedViews": 0, "Epochs": {{LongEpochs}}, "EarlyStoppingPatience": 0 }
            }
            """);
        return path;
    }

    /// <summary>The options of <see cref="WriteLongTraining"/>, for workspaces a test opens itself.</summary>
    public static CalibrationOptions LongTrainingOptions() => new() { AugmentedViews = 0, Epochs = LongEpochs, EarlyStoppingPatience = 0 };
}
