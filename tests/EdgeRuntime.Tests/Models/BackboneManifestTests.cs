using System.Text.Json.Nodes;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Models;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Models;

public sealed class BackboneManifestTests(BackboneFixture backbone) : IClassFixture<BackboneFixture>, IDisposable
{
    private readonly TestDirectory _dir = new("manifests");

    [Fact]
    public void The_default_manifest_describes_the_shipped_ResNet18_files()
    {
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        Assert.True(File.Exists(manifest.ModelPath));
        Assert.True(File.Exists(manifest.PreprocessingGraphPath));
        Assert.Equal(512, manifest.Embedding.Dimension);
    }

    [Fact]
    public void A_manifest_naming_a_missing_output_says_which_outputs_exist()
    {
        var ex = Assert.Throws<ManifestException>(() => LoadVariant(m => m["embedding"]!["output"] = "fc7"));
        Assert.Contains("'embedding.output' is 'fc7'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Pooling395_Output_0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_naming_a_missing_input_says_which_inputs_exist()
    {
        var ex = Assert.Throws<ManifestException>(() => LoadVariant(m => m["input"]!["name"] = "data"));
        Assert.Contains("'input.name' is 'data'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Input247'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_with_the_wrong_input_size_names_both_sizes()
    {
        var ex = Assert.Throws<ManifestException>(() => LoadVariant(m => m["input"]!["width"] = 299));
        Assert.Contains("input.width 299", ex.Message, StringComparison.Ordinal);
        Assert.Contains("width 224", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_with_the_wrong_embedding_dimension_shows_the_real_shape()
    {
        var ex = Assert.Throws<ManifestException>(() => LoadVariant(m => m["embedding"]!["dimension"] = 1000));
        Assert.Contains("[1, 512, 1, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_is_not_JSON_or_lacks_fields_is_refused_with_the_file_name()
    {
        var broken = _dir.Combine("broken.json");
        File.WriteAllText(broken, "{ \"name\": ");
        Assert.Contains("broken.json", Assert.Throws<ManifestException>(() => BackboneManifest.Load(broken)).Message, StringComparison.Ordinal);

        var empty = _dir.Combine("empty.json");
        File.WriteAllText(empty, "{}");
        var ex = Assert.Throws<ManifestException>(() => BackboneManifest.Load(empty));
        Assert.Contains("'model' is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'embedding.output' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_manifest_carries_the_sha256_of_both_files_and_they_match()
    {
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);

        Assert.Equal(manifest.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(manifest.ModelPath))));
        Assert.Equal(manifest.PreprocessingGraph!.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(manifest.PreprocessingGraphPath!))));
    }

    [Fact]
    public void A_damaged_but_parseable_model_is_refused_naming_both_hashes_instead_of_becoming_a_new_backbone()
    {
        var path = DamagedBackbone.Write(_dir.Path);

        var ex = Assert.Throws<ManifestException>(() =>
            EmbeddingEngine.Load(BackboneManifest.Load(path), new BackboneOptions { MaxBatchSize = 1 }, backbone.Factory, NullLogger<EmbeddingEngine>.Instance));

        Assert.Contains("damaged or was replaced", ex.Message, StringComparison.Ordinal);
        Assert.Contains(BackboneManifest.Load(BackboneManifest.DefaultPath).Sha256!, ex.Message, StringComparison.Ordinal);
        Assert.Equal(FaultKind.Corrupt, ex.Fault);
    }

    [Fact]
    public void A_sha256_that_is_not_64_hex_digits_is_a_manifest_error()
    {
        var ex = Assert.Throws<ManifestException>(() => LoadVariant(m => m["sha256"] = "abc"));
        Assert.Contains("'sha256' must be 64 hex digits", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private void LoadVariant(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(BackboneManifest.DefaultPath))!;
        var modelDir = Path.GetDirectoryName(BackboneManifest.DefaultPath)!;
        json["model"] = Path.Combine(modelDir, "resnet18", "ResNet18.onnx");
        json["preprocessingGraph"]!["file"] = Path.Combine(modelDir, "resnet18", "ResNetPreprocess.onnx");
        change(json);
        var path = _dir.Combine("variant.json");
        File.WriteAllText(path, json.ToJsonString());
        using var engine = EmbeddingEngine.Load(BackboneManifest.Load(path), new BackboneOptions { MaxBatchSize = 1 }, backbone.Factory, NullLogger<EmbeddingEngine>.Instance);
    }
}
