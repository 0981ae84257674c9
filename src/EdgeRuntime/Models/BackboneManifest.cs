using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeRuntime.Models;

/// <summary>
/// Describes an ONNX backbone: its file(s), the image tensor it expects and the output used as the embedding.
/// Documented in models/README.md. Paths are relative to the manifest file.
/// </summary>
public sealed class BackboneManifest
{
    /// <summary>File name of the manifest shipped with the runtime: ImageNet ResNet-18.</summary>
    public const string DefaultFileName = "resnet18.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Name { get; set; } = "";

    public string Model { get; set; } = "";

    /// <summary>
    /// Expected SHA-256 (hex) of the model file, checked at load: a damaged but parseable file must be refused, not
    /// taken as a new backbone (which would refuse every head and re-embed every image). Optional for hand-made
    /// manifests; the shipped ones carry it.
    /// </summary>
    public string? Sha256 { get; set; }

    public PreprocessingGraphSpec? PreprocessingGraph { get; set; }

    public InputSpec Input { get; set; } = new();

    public EmbeddingSpec Embedding { get; set; } = new();

    public string? Source { get; set; }

    public string? Licence { get; set; }

    /// <summary>Directory the manifest was read from; relative paths resolve against it.</summary>
    [JsonIgnore]
    public string BaseDirectory { get; private set; } = "";

    [JsonIgnore]
    public string ModelPath => Path.GetFullPath(Path.Combine(BaseDirectory, Model));

    [JsonIgnore]
    public string? PreprocessingGraphPath =>
        PreprocessingGraph is null ? null : Path.GetFullPath(Path.Combine(BaseDirectory, PreprocessingGraph.File));

    /// <summary>The manifest of the embedded default backbone, next to the executable.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "models", DefaultFileName);

    /// <summary>Reads and checks a manifest file. Its model is checked later, when loaded.</summary>
    /// <exception cref="ManifestException">The file is missing, not JSON, or a field is missing or out of range.</exception>
    public static BackboneManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ManifestException($"Backbone manifest '{full}' does not exist.");
        }

        BackboneManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackboneManifest>(File.ReadAllText(full), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"Backbone manifest '{full}' is not valid JSON: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new ManifestException($"Backbone manifest '{full}' is empty.");
        }

        manifest.BaseDirectory = Path.GetDirectoryName(full)!;
        var problems = manifest.Check();
        if (problems.Count > 0)
        {
            throw new ManifestException($"Backbone manifest '{full}': {string.Join("; ", problems)}");
        }

        return manifest;
    }

    /// <summary>Checks the fields that need no model: presence, ranges, referenced files.</summary>
    public IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("'name' is missing");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            problems.Add("'model' is missing");
        }
        else if (!File.Exists(ModelPath))
        {
            problems.Add($"'model' file '{ModelPath}' does not exist");
        }

        if (Sha256 is not null && !IsSha256(Sha256))
        {
            problems.Add($"'sha256' must be 64 hex digits, not '{Sha256}'");
        }

        if (PreprocessingGraph?.Sha256 is { } preHash && !IsSha256(preHash))
        {
            problems.Add($"'preprocessingGraph.sha256' must be 64 hex digits, not '{preHash}'");
        }

        if (string.IsNullOrWhiteSpace(Input.Name))
        {
            problems.Add("'input.name' is missing");
        }

        if (Input.Width is < 8 or > 4096 || Input.Height is < 8 or > 4096)
        {
            problems.Add($"'input.width' and 'input.height' must be 8..4096, not {Input.Width}x{Input.Height}");
        }

        if (Input.Mean.Length != 3 || Input.Std.Length != 3)
        {
            problems.Add("'input.mean' and 'input.std' must have 3 values each");
        }
        else if (Input.Std.Any(s => !(s > 0f) || float.IsInfinity(s)))
        {
            problems.Add("'input.std' values must be positive");
        }

        if (!(Input.Scale > 0f) || float.IsInfinity(Input.Scale))
        {
            problems.Add("'input.scale' must be positive");
        }

        if (string.IsNullOrWhiteSpace(Embedding.Output))
        {
            problems.Add("'embedding.output' is missing");
        }

        if (Embedding.Dimension is < 1 or > 65536)
        {
            problems.Add($"'embedding.dimension' must be 1..65536, not {Embedding.Dimension}");
        }

        if (PreprocessingGraph is { } pre)
        {
            if (string.IsNullOrWhiteSpace(pre.File) || string.IsNullOrWhiteSpace(pre.Input) || string.IsNullOrWhiteSpace(pre.Output))
            {
                problems.Add("'preprocessingGraph' needs 'file', 'input' and 'output'");
            }
            else if (!File.Exists(PreprocessingGraphPath))
            {
                problems.Add($"'preprocessingGraph.file' '{PreprocessingGraphPath}' does not exist");
            }
        }

        return problems;
    }

    private static bool IsSha256(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);
}
