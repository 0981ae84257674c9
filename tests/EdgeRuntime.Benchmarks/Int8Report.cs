using System.Diagnostics;
using System.Globalization;
using EdgeRuntime.Calibration;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.FewShot;
using EdgeRuntime.Inference;
using EdgeRuntime.Models;
using EdgeRuntime.Precision;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeRuntime.Benchmarks;

/// <summary>
/// The int8 backbone against fp32 in one process, on Debian's fashion-mnist: quantization on 300 real images,
/// ms/image at batch 1 and 8 (alternating rounds), import-style throughput (decode+preprocess+backbone), and the
/// accuracy of heads trained on each precision's embeddings at 20 and 100 shots per class on 1000 test images.
/// </summary>
internal static class Int8Report
{
    private const int Rounds = 9;

    public static void Run(int threads)
    {
        if (!FashionMnist.IsInstalled)
        {
            Console.WriteLine("== Int8 backbone: skipped, dataset-fashion-mnist is not installed ==");
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = threads }, NullLogger<OrtSessionFactory>.Instance);
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        var options = new BackboneOptions();
        using var fp32 = EmbeddingEngine.Load(manifest, options, factory, NullLogger<EmbeddingEngine>.Instance);

        var calibration = FashionMnist.Load(train: true, perClass: 30, skipPerClass: 200);
        var images = CalibrationImageSet.FromEncoded(calibration.Select(c => c.Image.ImEncode(".png")), "samples");
        calibration.ForEach(c => c.Image.Dispose());
        var quantizer = new BackboneQuantizer(factory, new QuantizationOptions(), NullLogger<BackboneQuantizer>.Instance);
        var clock = Stopwatch.StartNew();
        var quantized = quantizer.Quantize(BackboneGraph.Prepare(manifest), fp32.Info.Fp32Hash, manifest.Input, options.Resize, fp32.Dimension, images);
        var quantizeSeconds = clock.Elapsed.TotalSeconds;
        var report = quantized.Report;
        using var int8 = EmbeddingEngine.Load(manifest, new BackboneOptions { Precision = BackbonePrecision.Int8 }, factory, NullLogger<EmbeddingEngine>.Instance,
            choose: _ => BackbonePrecisionSwitch.Choice(BackbonePrecision.Int8, report, quantized.Model));

        Console.WriteLine(string.Create(inv, $"== Int8 backbone (ResNet-18, {threads} intra-op threads, {Environment.ProcessorCount} cores shared with other work) =="));
        Console.WriteLine(string.Create(inv, $"quantization: {report.CalibrationImages} fashion-mnist images calibrated + {report.HeldBackImages} held back in {quantizeSeconds:F1} s; kept {report.Chosen}"));
        foreach (var c in report.Candidates)
        {
            Console.WriteLine(string.Create(inv, $"  {c.Method,-10} median cosine {c.MedianCosine:F4}, minimum {c.MinimumCosine:F4}, passed {c.Passed} {c.Failure}"));
        }

        Speed(fp32, int8);
        var train = FashionMnist.Load(train: true, perClass: 100);
        var test = FashionMnist.Load(train: false, perClass: 100);
        try
        {
            Throughput(fp32, int8, train.Take(160).Select(t => t.Image).ToList());
            Accuracy(factory, fp32, int8, train, test);
        }
        finally
        {
            train.ForEach(t => t.Image.Dispose());
            test.ForEach(t => t.Image.Dispose());
        }
    }

    private static void Speed(EmbeddingEngine fp32, EmbeddingEngine int8)
    {
        var frames = Enumerable.Range(0, 8).Select(i => new Mat(480, 640, MatType.CV_8UC3, new Scalar(30 * i, 100, 200 - (20 * i)))).ToList();
        var one = new float[fp32.Dimension];
        var rows = new float[8 * fp32.Dimension];
        var t = new List<double>[4];
        for (int k = 0; k < 4; k++)
        {
            t[k] = [];
        }

        for (int round = 0; round < Rounds; round++)
        {
            t[0].Add(Measure.MedianMilliseconds(() => fp32.Embed(frames[0], one), 3, 20));
            t[1].Add(Measure.MedianMilliseconds(() => int8.Embed(frames[0], one), 3, 20));
            t[2].Add(Measure.MedianMilliseconds(() => fp32.EmbedBatch(frames, rows), 1, 5) / 8);
            t[3].Add(Measure.MedianMilliseconds(() => int8.EmbedBatch(frames, rows), 1, 5) / 8);
        }

        frames.ForEach(f => f.Dispose());
        double[] m = [.. t.Select(Median)];

        // The speed-up of each round, fp32 and int8 measured back to back, then the median: on a shared machine fp32
        // (64 MB of weights streamed per image) swings by more than int8 from one minute to the next.
        double Speedup(int a, int b) => Median([.. t[a].Zip(t[b], (x, y) => x / y)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            backbone ms/image (640x480 frame, preprocessing included, median of {Rounds} alternating rounds; speed-up = median of the rounds' ratios):
              batch 1: fp32 {m[0],6:F2} ms   int8 {m[1],6:F2} ms   int8 speed-up {Speedup(0, 1):F2}x (target >= 2)
              batch 8: fp32 {m[2],6:F2} ms   int8 {m[3],6:F2} ms   int8 speed-up {Speedup(2, 3):F2}x (target >= 2)
            """));
    }

    private static void Throughput(EmbeddingEngine fp32, EmbeddingEngine int8, List<Mat> images)
    {
        using var folder = new TestDirectory("int8-throughput");
        var files = new List<string>();
        for (int i = 0; i < images.Count; i++)
        {
            var path = folder.Combine($"{i:D4}.png");
            Cv2.ImWrite(path, images[i]);
            files.Add(path);
        }

        var a = new List<double>();
        var b = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            a.Add(Measure.MedianMilliseconds(() => fp32.EmbedFiles(files), 0, 1));
            b.Add(Measure.MedianMilliseconds(() => int8.EmbedFiles(files), 0, 1));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import-style throughput (EmbedFiles: decode+preprocess+backbone, {files.Count} PNG files, median of 3): fp32 {1000 * files.Count / Median(a):F1} images/s, int8 {1000 * files.Count / Median(b):F1} images/s, ratio {Median(a) / Median(b):F2}x"));
    }

    private static void Accuracy(OrtSessionFactory factory, EmbeddingEngine fp32, EmbeddingEngine int8, List<(Mat Image, int Label)> train, List<(Mat Image, int Label)> test)
    {
        var trainA = Embed(fp32, train);
        var trainB = Embed(int8, train);
        var testA = Embed(fp32, test);
        var testB = Embed(int8, test);
        int d = fp32.Dimension;
        var cosines = Enumerable.Range(0, test.Count).Select(i => Cosine(testA.AsSpan(i * d, d), testB.AsSpan(i * d, d))).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parity on {test.Count} fashion-mnist test images: median cosine {cosines[cosines.Count / 2]:F4}, 5th percentile {cosines[cosines.Count / 20]:F4}, minimum {cosines[0]:F4}"));
        foreach (var shots in new[] { 20, 100 })
        {
            var (accA, agreeA) = TrainAndTest(factory, trainA, train, shots, testA, testB, test, d);
            var (accB, _) = TrainAndTest(factory, trainB, train, shots, testB, testB, test, d);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"head accuracy, {shots} shots/class, {test.Count} test images: fp32 embeddings {accA:P1}, int8 embeddings {accB:P1}, difference {100 * (accB - accA):+0.0;-0.0} points (target within 1); fp32-trained head on int8 test embeddings agrees {agreeA:P1}"));
            Deployed(factory, trainA, trainB, train, shots, testA, testB, test, d);
        }
    }

    /// <summary>
    /// The head `train` deploys (recipe chosen by cross-validation, refit on every sample) on fp32 embeddings, run on
    /// int8 ones; and the same recipe refit on the int8 embeddings of the same samples, as after a precision switch.
    /// </summary>
    private static void Deployed(OrtSessionFactory factory, float[] trainA, float[] trainB, List<(Mat Image, int Label)> train, int shots,
        float[] testA, float[] testB, List<(Mat Image, int Label)> test, int d)
    {
        var seen = new int[FashionMnist.Classes];
        var picked = Enumerable.Range(0, train.Count).Where(i => seen[train[i].Label]++ < shots).ToList();
        FewShotSamples Samples(float[] rows) => new([.. picked.SelectMany(i => rows.AsSpan(i * d, d).ToArray())], [.. picked.Select(i => train[i].Label)], d, FashionMnist.Classes);
        var trainer = new FewShotTrainer(factory);
        var recipe = new RecipeSearch(trainer).Select(Samples(trainA), new RecipeSearchOptions()).Recipe;
        var head = trainer.Fit(Samples(trainA), recipe);
        var refit = trainer.Fit(Samples(trainB), recipe);
        var fp32 = head.Predict(testA);
        var int8 = head.Predict(testB);
        var refitInt8 = refit.Predict(testB);
        double Share(int[] a, int[] b) => (double)a.Zip(b).Count(p => p.First == p.Second) / a.Length;
        var labels = test.Select(t => t.Label).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  deployed head ({recipe}), {shots} shots/class: accuracy fp32 {Share(fp32, labels):P1}, same head on int8 {Share(int8, labels):P1}, refit on int8 {Share(refitInt8, labels):P1}; " +
            $"fp32-trained head agrees on int8 embeddings {Share(fp32, int8):P1} (target >= 99 %); refit int8 head agrees with the fp32 device {Share(fp32, refitInt8):P1}"));
    }

    private static (double Accuracy, double Agreement) TrainAndTest(OrtSessionFactory factory, float[] trainEmbeddings, List<(Mat Image, int Label)> train, int shots,
        float[] testEmbeddings, float[] otherTest, List<(Mat Image, int Label)> test, int d)
    {
        // The first shots of each class; every fifth held out for early stopping, as the workspace splits.
        var picked = new List<int>();
        var seen = new int[FashionMnist.Classes];
        for (int i = 0; i < train.Count; i++)
        {
            if (seen[train[i].Label]++ < shots)
            {
                picked.Add(i);
            }
        }

        var fit = picked.Where((_, k) => k % 5 != 4).ToList();
        var hold = picked.Where((_, k) => k % 5 == 4).ToList();
        float[] Rows(List<int> idx) => [.. idx.SelectMany(i => trainEmbeddings.AsSpan(i * d, d).ToArray())];
        var data = new TrainingData(Rows(fit), [.. fit.Select(i => train[i].Label)], Rows(hold), [.. hold.Select(i => train[i].Label)], d, FashionMnist.Classes);
        var settings = new CalibrationOptions().ToTrainingSettings(null);
        var head = new HeadTrainer(factory, NullLogger<HeadTrainer>.Instance).Train(data, settings, WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, d, FashionMnist.Classes));
        using var classifier = new HeadClassifier(head.ToInferenceModel(), [.. Enumerable.Range(0, FashionMnist.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))], d, 0f, 1, factory);
        var choices = HeadChoices.Choose(classifier, testEmbeddings, d).Classes;
        var other = HeadChoices.Choose(classifier, otherTest, d).Classes;
        double accuracy = (double)Enumerable.Range(0, test.Count).Count(i => choices[i] == test[i].Label) / test.Count;
        double agreement = (double)Enumerable.Range(0, test.Count).Count(i => choices[i] == other[i]) / test.Count;
        return (accuracy, agreement);
    }

    private static float[] Embed(EmbeddingEngine engine, List<(Mat Image, int Label)> images)
    {
        var rows = new float[images.Count * engine.Dimension];
        engine.EmbedBatch([.. images.Select(i => i.Image)], rows);
        return rows;
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.Length; k++)
        {
            (dot, na, nb) = (dot + ((double)a[k] * b[k]), na + ((double)a[k] * a[k]), nb + ((double)b[k] * b[k]));
        }

        return dot / Math.Sqrt(na * nb);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
