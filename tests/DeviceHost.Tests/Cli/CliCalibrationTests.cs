using System.Runtime.Versioning;
using System.Text.Json;
using EdgeRuntime.Execution;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace DeviceHost.Tests.Cli;

/// <summary>The calibration commands end to end, in process, on a real backbone and generated image folders.</summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class CliCalibrationTests : IDisposable
{
    private static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker];

    private readonly TestDirectory _dir = new("edgeruntime-cli");
    private readonly string _config;
    private readonly string _data;

    public CliCalibrationTests()
    {
        _config = CliTestConfig.Write(_dir.Combine("config.json"));
        _data = _dir.Combine("data");
    }

    [Fact]
    public async Task Import_train_evaluate_predict_manage_heads_and_export_work_from_the_command_line()
    {
        var train = _dir.Combine("train");
        SyntheticImages.WriteImageFolder(train, Families, 16, seed: 1);
        var broken = Path.Combine(train, "stripes", "broken.jpg");
        File.WriteAllText(broken, "not an image");

        var import = await Cli("import", train, "--json");
        Assert.True(import.ExitCode == 3, import.ToString()); // some files failed, the rest were stored
        var imported = import.Json();
        Assert.Equal(48, imported.GetProperty("added").GetInt32());
        Assert.Equal(0, imported.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, imported.GetProperty("failed").GetInt32());
        Assert.Equal(broken, imported.GetProperty("failures")[0].GetProperty("path").GetString());

        var again = (await Cli("import", train, "--json")).Json();
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(48, again.GetProperty("duplicates").GetInt32());

        var first = (await CliOk("train", "--note", "first head", "--json")).Json();
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.True(first.GetProperty("activated").GetBoolean());
        Assert.Equal("activate", first.GetProperty("gate").GetProperty("outcome").GetString());
        Assert.False(first.GetProperty("gate").GetProperty("forced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("activeVersion").ValueKind); // nothing was active to compare with
        Assert.Equal(JsonValueKind.Null, first.GetProperty("activeMetrics").ValueKind);
        Assert.Equal(["blobs", "checker", "stripes"], first.GetProperty("metrics").GetProperty("classNames").EnumerateArray().Select(e => e.GetString()));
        Assert.InRange(first.GetProperty("unknownThreshold").GetDouble(), 0, 1);

        var test = _dir.Combine("test");
        SyntheticImages.WriteImageFolder(test, Families, 8, seed: 2);
        var evaluation = (await CliOk("evaluate", test, "--json")).Json();
        Assert.Equal(1, evaluation.GetProperty("version").GetInt32());
        var metrics = evaluation.GetProperty("metrics");
        Assert.Equal(24, metrics.GetProperty("total").GetInt32());
        Assert.True(metrics.GetProperty("accuracy").GetDouble() >= 0.95, metrics.ToString());
        Assert.Equal(24, metrics.GetProperty("confusionMatrix").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt32())) + metrics.GetProperty("unknown").GetInt32());

        var stripes = Path.Combine(test, "stripes", "stripes-000.png");
        var checker = Path.Combine(test, "checker", "checker-001.jpg");
        var predicted = (await CliOk("predict", stripes, checker, "--top", "2", "--json")).Json().GetProperty("predictions");
        Assert.Equal([stripes, checker], predicted.EnumerateArray().Select(p => p.GetProperty("file").GetString()));
        Assert.Equal(["stripes", "checker"], predicted.EnumerateArray().Select(p => p.GetProperty("label").GetString()));
        Assert.All(predicted.EnumerateArray(), p => Assert.Equal(2, p.GetProperty("top").GetArrayLength()));

        // People get tables: the cross-validated estimate, the confusion matrix and what the gate did; progress goes to stderr.
        var second = await CliOk("train", "--force", "--note", "second");
        Assert.Contains("Cross-validation estimate:", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Confusion matrix", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("v2 is now active", second.Stdout, StringComparison.Ordinal);
        Assert.Contains($"train: 1/{CliTestConfig.DefaultEpochs} epoch 1 ", second.Stderr, StringComparison.Ordinal);

        var activated = (await CliOk("heads", "activate", "v1", "--json")).Json();
        Assert.Equal(1, activated.GetProperty("activeVersion").GetInt32());
        Assert.Equal(2, activated.GetProperty("previousVersion").GetInt32());
        var rolledBack = (await CliOk("heads", "rollback", "--json")).Json();
        Assert.Equal(2, rolledBack.GetProperty("activeVersion").GetInt32());
        Assert.Equal("rollback", rolledBack.GetProperty("kind").GetString());

        var list = (await CliOk("heads", "list", "--json")).Json();
        Assert.Equal(2, list.GetProperty("activeVersion").GetInt32());
        var heads = list.GetProperty("heads").EnumerateArray().ToList();
        Assert.Equal([1, 2], heads.Select(h => h.GetProperty("version").GetInt32()));
        Assert.Equal([false, true], heads.Select(h => h.GetProperty("active").GetBoolean()));
        Assert.Equal("first head", heads[0].GetProperty("trigger").GetProperty("note").GetString());
        Assert.Equal("cli", heads[0].GetProperty("trigger").GetProperty("source").GetString());
        Assert.All(heads, h => Assert.InRange(h.GetProperty("accuracy").GetDouble(), 0.5, 1));
        var table = await CliOk("heads", "list");
        Assert.Contains("* active: v2", table.Stdout, StringComparison.Ordinal);

        var model = _dir.Combine("out", "model.onnx");
        var exported = (await CliOk("export", model, "--json")).Json();
        Assert.Equal(2, exported.GetProperty("headVersion").GetInt32());
        AssertExportRuns(model, ["blobs", "checker", "stripes"]);

        var hidden = (await CliOk("train", "--hidden", "--json")).Json();
        Assert.Equal(3, hidden.GetProperty("version").GetInt32());
        Assert.Equal(2, hidden.GetProperty("activeVersion").GetInt32());
        Assert.Equal(3, hidden.GetProperty("activeMetrics").GetProperty("classNames").GetArrayLength());
        var kinds = (await CliOk("heads", "list", "--json")).Json().GetProperty("heads").EnumerateArray().Select(h => h.GetProperty("headKind").GetString());
        // Without --hidden, cross-validation chooses the family; on these separable generated classes every family is
        // equally accurate, and then the ensemble is kept.
        Assert.Equal(["Ensemble", "Ensemble", "Hidden"], kinds);
    }

    [Fact]
    public async Task Predict_without_an_active_head_says_so_in_one_line()
    {
        var image = _dir.Combine("one.png");
        using (var mat = SyntheticImages.Create(ImageFamily.Rings, new Random(3)))
        {
            File.WriteAllBytes(image, SyntheticImages.Encode(mat));
        }

        var run = await Cli("predict", image);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No head is active yet", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Import_of_a_missing_folder_names_it()
    {
        var missing = _dir.Combine("no-such-folder");

        var run = await Cli("import", missing, "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"'{missing}' does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activating_a_version_that_does_not_exist_lists_the_stored_ones()
    {
        var run = await Cli("heads", "activate", "7");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("There is no head v7", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("stored: none", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Cli(params string[] args) => InProcessCli.RunAsync([.. args, "--data", _data, "--config", _config]);

    private Task<CliRun> CliOk(params string[] args) => InProcessCli.RunOkAsync([.. args, "--data", _data, "--config", _config]);

    /// <summary>Plain ONNX Runtime runs the exported file: one probability per label, summing to one; labels in the metadata.</summary>
    private static void AssertExportRuns(string model, string[] labels)
    {
        var factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = 2 }, NullLogger<OrtSessionFactory>.Instance);
        using var handle = factory.Create(File.ReadAllBytes(model), "exported");
        var session = handle.Session;
        Assert.Equal(JsonSerializer.Serialize(labels), session.ModelMetadata.CustomMetadataMap["edgeruntime.labels"]);

        var input = session.InputMetadata.Single();
        var shape = input.Value.Dimensions.Select(d => d < 0 ? 1L : d).ToArray();
        var pixels = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (i * 37) % 256;
        }

        using var tensor = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var options = new RunOptions();
        var output = session.OutputMetadata.Keys.First(k => k != "embedding");
        using var results = session.Run(options, [input.Key], [tensor], [output]);
        var probabilities = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(labels.Length, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 3);
    }
}
