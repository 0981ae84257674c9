using EdgeRuntime.Imaging;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Imaging;

public sealed class BadImageTests(BackboneFixture backbone) : IClassFixture<BackboneFixture>, IDisposable
{
    private readonly TestDirectory _dir = new("bad-images");

    public static TheoryData<string, string> BadFiles => new()
    {
        { "empty.jpg", "empty" },
        { "truncated.png", "truncated" },
        { "truncated.jpg", "truncated" },
        { "notes.jpg", "not a supported image" },
        { "tiny.png", "at least 16 pixels" },
        { "deep.png", "16-bit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_gives_the_typed_error_with_its_name_and_reason(string file, string reason)
    {
        var path = Write(file);
        var ex = Assert.Throws<InvalidImageException>(() => backbone.Engine.EmbedFile(path));
        Assert.Equal(file, ex.ImageName);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith(file + ": ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_reports_each_bad_file_and_still_returns_the_good_ones()
    {
        var good = Enumerable.Range(0, 3).Select(i => WriteGood($"good{i}.png", i)).ToList();
        var bad = BadFiles.Select(row => Write((string)row[0])).ToList();
        List<string> all = [good[0], bad[0], bad[1], good[1], bad[2], bad[3], bad[4], bad[5], good[2]];

        var result = backbone.Engine.EmbedFiles(all);

        Assert.Equal(good, result.Succeeded.Select(s => s.Name));
        Assert.Equal(bad.Order(StringComparer.Ordinal), result.Failed.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(result.Succeeded, s => Assert.Equal(512, s.Embedding.Length));
        Assert.Equal(backbone.Engine.EmbedFile(good[1]), result.Succeeded[1].Embedding);
    }

    public void Dispose() => _dir.Dispose();

    private string WriteGood(string name, int seed)
    {
        using var mat = SyntheticImages.Create(ImageFamily.Checker, new Random(seed));
        var path = _dir.Combine(name);
        Cv2.ImWrite(path, mat);
        return path;
    }

    private string Write(string name)
    {
        var path = _dir.Combine(name);
        using var picture = SyntheticImages.Create(ImageFamily.Blobs, new Random(5));
        switch (name)
        {
            case "empty.jpg":
                File.WriteAllBytes(path, []);
                break;
            case "truncated.png":
                var png = SyntheticImages.Encode(picture, ".png");
                File.WriteAllBytes(path, png[..(png.Length / 2)]);
                break;
            case "truncated.jpg":
                var jpg = SyntheticImages.Encode(picture, ".jpg");
                File.WriteAllBytes(path, jpg[..(jpg.Length * 2 / 3)]);
                break;
            case "notes.jpg":
                File.WriteAllText(path, "field notes: greenhouse 3, row 12\n");
                break;
            case "tiny.png":
                using (var tiny = new Mat(1, 1, MatType.CV_8UC3, Scalar.Red))
                {
                    Cv2.ImWrite(path, tiny);
                }

                break;
            case "deep.png":
                using (var deep = new Mat(64, 64, MatType.CV_16UC3, new Scalar(1000, 20000, 60000)))
                {
                    Cv2.ImWrite(path, deep);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name));
        }

        return path;
    }
}
