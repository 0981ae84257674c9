using BenchmarkDotNet.Attributes;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeRuntime.Benchmarks;

/// <summary>Per-frame cost and allocations of preprocessing alone and of preprocessing plus backbone.</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private Mat _frame = null!;
    private FramePreprocessor _preprocessor = null!;
    private EmbeddingEngine _engine = null!;
    private float[] _tensor = null!;
    private float[] _embedding = null!;

    [GlobalSetup]
    public void Setup()
    {
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        _frame = SyntheticImages.Create(ImageFamily.Stripes, new Random(1), 1280, 720);
        _preprocessor = new FramePreprocessor(manifest.Input, ResizeMode.CenterCrop);
        _tensor = new float[manifest.Input.ElementCount];
        var factory = new OrtSessionFactory(new ExecutionOptions(), NullLogger<OrtSessionFactory>.Instance);
        _engine = EmbeddingEngine.Load(manifest, new BackboneOptions { MaxBatchSize = 1 }, factory, NullLogger<EmbeddingEngine>.Instance);
        _embedding = new float[_engine.Dimension];
    }

    [Benchmark(Baseline = true)]
    public void Preprocess() => _preprocessor.Process(ImageView.Of(_frame), _tensor);

    [Benchmark]
    public void PreprocessAndEmbed() => _engine.Embed(ImageView.Of(_frame), _embedding);

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _frame.Dispose();
    }
}
