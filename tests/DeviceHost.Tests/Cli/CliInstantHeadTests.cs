using System.Runtime.Versioning;
using System.Text.Json;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Cli;

/// <summary><c>train --instant</c> without the service: an imprinted head at once, then a full training judged against it.</summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class CliInstantHeadTests : IDisposable
{
    private static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker];

    private readonly TestDirectory _dir = new("edgeruntime-cli-instant");
    private readonly string _config;
    private readonly string _data;

    public CliInstantHeadTests()
    {
        _config = CliTestConfig.Write(_dir.Combine("config.json"));
        _data = _dir.Combine("data");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Train_instant_activates_an_imprinted_head_that_predicts_and_a_full_training_then_replaces_it()
    {
        var train = _dir.Combine("train");
        SyntheticImages.WriteImageFolder(train, Families, 5, seed: 1);
        await CliOk("import", train, "--json");

        var instant = (await CliOk("train", "--instant", "--note", "first look", "--json")).Json();
        Assert.Equal(1, instant.GetProperty("version").GetInt32());
        Assert.True(instant.GetProperty("activated").GetBoolean());
        Assert.Equal(0, instant.GetProperty("epochs").GetInt32());
        Assert.Equal(JsonValueKind.Null, instant.GetProperty("metrics").ValueKind);
        var recipe = instant.GetProperty("recipe");
        Assert.True(recipe.GetProperty("instant").GetBoolean());
        Assert.Equal("Imprinted", recipe.GetProperty("family").GetString());
        Assert.StartsWith("an instant head", recipe.GetProperty("noEstimateReason").GetString(), StringComparison.Ordinal);

        var test = _dir.Combine("test");
        SyntheticImages.WriteImageFolder(test, Families, 4, seed: 2);
        var evaluation = (await CliOk("evaluate", test, "--json")).Json().GetProperty("metrics");
        Assert.True(evaluation.GetProperty("accuracy").GetDouble() > 1.0 / Families.Length + 0.2, evaluation.ToString());

        var full = (await CliOk("train", "--json")).Json();
        Assert.Equal(2, full.GetProperty("version").GetInt32());
        Assert.False(full.GetProperty("recipe").GetProperty("instant").GetBoolean());
        Assert.Equal(1, full.GetProperty("activeVersion").GetInt32());
        Assert.Equal(15, full.GetProperty("activeMetrics").GetProperty("total").GetInt32());
        Assert.True(full.GetProperty("activated").GetBoolean(), full.ToString());
    }

    [Fact]
    public async Task Train_instant_says_it_is_instant_and_how_to_get_the_cross_validated_head()
    {
        SyntheticImages.WriteImageFolder(_dir.Combine("train"), Families, 3, seed: 4);
        await CliOk("import", _dir.Combine("train"), "--json");

        var run = await CliOk("train", "--instant");

        // Spectre wraps long lines at the console width: compare with the line breaks taken out.
        var text = string.Join(' ', run.Stdout.Split(['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("instant head: run edgeruntime train for the cross-validated head", text, StringComparison.Ordinal);
        Assert.Contains("No cross-validation estimate: an instant head", text, StringComparison.Ordinal);
        Assert.Contains("v1 is now active", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_instant_with_hidden_is_refused_before_anything_is_trained()
    {
        var run = await Cli("train", "--instant", "--hidden");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--hidden applies only to a full training", run.Stderr + run.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_data, "heads")) && Directory.EnumerateDirectories(Path.Combine(_data, "heads")).Any());
    }

    private Task<CliRun> Cli(params string[] args) => InProcessCli.RunAsync([.. args, "--data", _data, "--config", _config]);

    private Task<CliRun> CliOk(params string[] args) => InProcessCli.RunOkAsync([.. args, "--data", _data, "--config", _config]);
}
