using EdgeRuntime.Calibration;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceHost.Tests.Cli;

/// <summary>
/// Shared by the crash tests: the backbone (for checking data directories in this process), a small labelled image
/// folder, the test configuration, and a data directory with that folder imported once, copied by tests that need
/// samples to start with.
/// </summary>
public sealed class CliCrashFixture : IDisposable
{
    public static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker];

    private readonly TestDirectory _root = new("edgeruntime-cli-crash");

    public CliCrashFixture()
    {
        Backbone = new BackboneFixture();
        ConfigFile = CliTestConfig.WriteLongTraining(_root.Combine("config.json"));
        ImageFolder = _root.Combine("images");
        SyntheticImages.WriteImageFolder(ImageFolder, Families, 8, seed: 11);
        ImageCount = Directory.EnumerateFiles(ImageFolder, "*", SearchOption.AllDirectories).Count();
        TemplateData = _root.Combine("template");
        using var workspace = Open(TemplateData);
        var imported = workspace.Import(ImageFolder);
        if (imported.Failures.Count > 0 || imported.Added != ImageCount)
        {
            throw new InvalidOperationException($"Template import added {imported.Added} of {ImageCount}: {string.Join("; ", imported.Failures)}");
        }
    }

    public BackboneFixture Backbone { get; }

    public string ConfigFile { get; }

    public string ImageFolder { get; }

    public int ImageCount { get; }

    /// <summary>A data directory holding <see cref="ImageFolder"/> as samples with embeddings, and no heads.</summary>
    public string TemplateData { get; }

    public CalibrationWorkspace Open(string dataDirectory) =>
        new(dataDirectory, Backbone.Engine, Backbone.Factory, CliTestConfig.LongTrainingOptions(), NullLoggerFactory.Instance);

    /// <summary>Copies the template data directory (not its lock file) to <paramref name="target"/>.</summary>
    public string CopyTemplate(string target)
    {
        foreach (var file in Directory.EnumerateFiles(TemplateData, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == ".lock")
            {
                continue;
            }

            var destination = Path.Combine(target, Path.GetRelativePath(TemplateData, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    public void Dispose()
    {
        Backbone.Dispose();
        _root.Dispose();
    }
}
