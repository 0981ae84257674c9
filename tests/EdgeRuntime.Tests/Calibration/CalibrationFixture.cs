using EdgeRuntime.Storage;
using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>
/// The real backbone plus one generated ImageFolder embedded once, shared by the calibration test classes: tests add
/// these images with their embeddings (no backbone run) and spend backbone time only on what they test.
/// Owns the backbone fixture and the image folder.
/// </summary>
public sealed class CalibrationFixture : IDisposable
{
    public static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Checker, ImageFamily.Rings];

    private readonly TestDirectory _images = new("calibration-images");

    public CalibrationFixture()
    {
        Backbone = new BackboneFixture();
        Folder = _images.Combine("samples");
        SyntheticImages.WriteImageFolder(Folder, Families, count: 10, seed: 7);
        var files = Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var embedded = Backbone.Engine.EmbedFiles(files);
        Assert.Empty(embedded.Failed);
        Samples = [.. embedded.Succeeded.Select(e => new EmbeddedSample(
            e.Name, Path.GetFileName(Path.GetDirectoryName(e.Name)!), File.ReadAllBytes(e.Name), e.Embedding))];
    }

    public BackboneFixture Backbone { get; }

    /// <summary>ImageFolder layout: Folder/&lt;family&gt;/*.png|jpg.</summary>
    public string Folder { get; }

    /// <summary>Every image of <see cref="Folder"/> with its label, bytes and backbone embedding.</summary>
    public IReadOnlyList<EmbeddedSample> Samples { get; }

    /// <summary>Options that keep tests quick: no augmentation unless a test asks for it.</summary>
    public static CalibrationOptions FastOptions() => new() { AugmentedViews = 0 };

    public CalibrationWorkspace Open(TestDirectory data, CalibrationOptions? options = null, IFileSystem? fileSystem = null, TimeProvider? time = null) =>
        new(data.Path, Backbone.Engine, Backbone.Factory, options ?? FastOptions(), NullLoggerFactory.Instance, time, fileSystem);

    /// <summary>Stores every generated image with its known embedding.</summary>
    public void AddAll(CalibrationWorkspace workspace)
    {
        foreach (var sample in Samples)
        {
            workspace.AddSample(sample.Bytes, sample.Label, SampleSource.Import, Path.GetFileName(sample.Path), sample.Embedding);
        }
    }

    public void Dispose()
    {
        Backbone.Dispose();
        _images.Dispose();
    }
}
