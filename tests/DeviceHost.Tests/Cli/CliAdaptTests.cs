using System.Runtime.Versioning;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Cli;

/// <summary><c>edgeruntime adapt FOLDER</c> on a data directory: the folder cap and its bad values.</summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class CliAdaptTests : IDisposable
{
    private static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Checker];

    private readonly TestDirectory _dir = new("edgeruntime-cli-adapt");
    private readonly string _data;

    public CliAdaptTests()
    {
        _data = _dir.Combine("data");
    }

    [Fact]
    public async Task Adapting_to_a_folder_above_the_cap_embeds_that_many_evenly_spaced_images_and_says_of_how_many()
    {
        var config = Config("capped.json", maxImages: 20);
        var train = _dir.Combine("train");
        SyntheticImages.WriteImageFolder(train, Families, 6, seed: 1);
        await InProcessCli.RunOkAsync("import", train, "--data", _data, "--config", config);
        await InProcessCli.RunOkAsync("train", "--data", _data, "--config", config);
        var frames = _dir.Combine("frames");
        SyntheticImages.WriteImageFolder(frames, Families, 20, seed: 2);

        var json = (await InProcessCli.RunOkAsync("adapt", frames, "--force", "--json", "--data", _data, "--config", config)).Json();
        var text = await InProcessCli.RunOkAsync("adapt", frames, "--force", "--data", _data, "--config", config);

        var evidence = json.GetProperty("evidence");
        Assert.Equal(20, evidence.GetProperty("frames").GetInt32());
        Assert.Equal(40, evidence.GetProperty("imagesFound").GetInt32());
        Assert.Contains("40 images in the folder: 20 evenly spaced ones embedded", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("to 20 of 40 images", text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public async Task A_cap_below_the_minimum_frames_is_refused_naming_the_key(int maxImages)
    {
        var frames = _dir.Combine("frames");
        SyntheticImages.WriteImageFolder(frames, Families, 2, seed: 3);

        var run = await InProcessCli.RunAsync("adapt", frames, "--data", _data, "--config", Config($"bad-{maxImages}.json", maxImages));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Calibration:Adaptation:MaxImages", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string Config(string name, int maxImages)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, $$"""
            {
              "Execution": { "IntraOpThreads": 2 },
              "Calibration": { "AugmentedViews": 0, "Adaptation": { "MinimumFrames": 16, "MaxImages": {{maxImages}} } }
            }
            """);
        return path;
    }
}
