using System.Globalization;
using System.Runtime.Versioning;
using DeviceHost.Composition;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Cli;

/// <summary>
/// <c>edgeruntime quantize</c> SIGKILLed while calibrating and while checking parity: no partial int8 model is ever
/// loaded (the backbone comes up fp32), and the next run quantizes again and its model is the one loaded.
/// </summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class QuantizeCrashTests(CliCrashFixture fixture, ITestOutputHelper output) : IClassFixture<CliCrashFixture>, IDisposable
{
    private static readonly Lazy<EdgeRuntime.Execution.OrtSessionFactory> Sessions =
        new(() => EngineLoader.CreateFactory(new EdgeRuntime.Execution.ExecutionOptions { IntraOpThreads = 2 }, NullLoggerFactory.Instance));

    private readonly TestDirectory _dir = new("edgeruntime-quantize-kill");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Killing_quantize_mid_work_never_leaves_a_model_that_loads_and_the_next_run_redoes_it()
    {
        var data = fixture.CopyTemplate(_dir.Combine("data"));
        var config = _dir.Combine("config.json");
        File.WriteAllText(config, """
            {
              "Execution": { "IntraOpThreads": 2 },
              "Calibration": { "AugmentedViews": 0 },
              "Backbone": { "Precision": "Auto", "Quantization": { "MinimumImages": 20 } }
            }
            """);

        // While activations are being collected, and once the first candidate's parity is known (the second is being built).
        Func<string, bool>[] killPoints =
        [
            line => ProgressStage(line, "calibrating", minimumDone: 8),
            line => line.StartsWith("quantize: ", StringComparison.Ordinal) && line.Contains("parity Percentile", StringComparison.Ordinal),
        ];
        foreach (var killPoint in killPoints)
        {
            using (var child = ChildCli.Start("quantize", "--data", data, "--config", config, "--json"))
            {
                var seen = await child.WaitForLineAsync(killPoint);
                Assert.NotNull(seen);
                Assert.True(child.Kill(), $"quantize finished before the kill point; output:\n{child.Output}");
                Assert.DoesNotContain("\"report\"", child.Output, StringComparison.Ordinal);
                output.WriteLine($"killed after '{seen}'");
            }

            using var engine = Load(data);
            Assert.Equal(BackbonePrecision.Fp32, engine.Info.Precision.Active);
            Assert.Null(new QuantizedModelCache(data, NullLogger.Instance).LoadLatest(engine.Info.Fp32Hash, requirePassed: false));
        }

        var run = await InProcessCli.RunAsync("quantize", "--data", data, "--config", config, "--json");
        Assert.True(run.ExitCode is 0 or 3, run.ToString());
        using var after = Load(data);
        Assert.Equal(BackbonePrecision.Int8, after.Info.Precision.Active);
        output.WriteLine($"after the full run: {after.Info.BackboneHash}, median cosine {after.Info.Precision.Quantization!.Parity.MedianCosine:F4}");
    }

    private static EmbeddingEngine Load(string data) =>
        EngineLoader.Load(new BackboneOptions { Precision = BackbonePrecision.Int8 }, Sessions.Value, NullLoggerFactory.Instance, data);

    /// <summary>A progress line "quantize: done/total stage" of <paramref name="stage"/> with done at least <paramref name="minimumDone"/>.</summary>
    private static bool ProgressStage(string line, string stage, int minimumDone)
    {
        if (!line.StartsWith("quantize: ", StringComparison.Ordinal) || !line.EndsWith(" " + stage, StringComparison.Ordinal))
        {
            return false;
        }

        var count = line["quantize: ".Length..].Split('/')[0];
        return int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimumDone;
    }
}
