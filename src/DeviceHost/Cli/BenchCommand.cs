using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using DeviceHost.Composition;
using EdgeRuntime;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Quantization;
using OpenCvSharp;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime bench</c>: fp32 and the cached int8 backbone in one process, measured in alternating rounds so both
/// see the same machine load: ms per image at batch 1 and 8, the speed-up, and the int8 model's parity figures.
/// </summary>
[Description("Compare fp32 and the cached int8 backbone: ms/image at batch 1 and 8 in one run, and parity figures.")]
public sealed class BenchCommand : Command<BenchSettings>
{
    private const int Rounds = 5;

    public override int Execute(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Seconds is not (> 0 and <= 600))
        {
            throw new EdgeRuntimeException($"--seconds must be in (0, 600], not {settings.Seconds}.");
        }

        using var session = new CliSession(settings);
        var options = EngineLoader.BindBackbone(session.Configuration);
        options.Precision = BackbonePrecision.Fp32;
        using var fp32 = EngineLoader.Load(options, session.SessionFactory, session.Loggers);
        var int8Options = EngineLoader.BindBackbone(session.Configuration);
        int8Options.Precision = BackbonePrecision.Int8;
        using var int8 = EngineLoader.Load(int8Options, session.SessionFactory, session.Loggers, session.DataDirectory);
        if (int8.Info.Precision.Active != BackbonePrecision.Int8)
        {
            throw new EdgeRuntimeException($"No int8 backbone is cached in {session.DataDirectory}; run 'edgeruntime quantize' first.");
        }

        var frames = Frames(8);
        try
        {
            var result = CliProgress.Status(settings, "measuring fp32 and int8", () => Measure(fp32, int8, frames, settings.Seconds, cancellationToken));
            var report = int8.Info.Precision.Quantization!;
            if (settings.Json)
            {
                CliOutput.WriteJson(new { result, parity = report.Parity, report }, keepNulls: true);
            }
            else
            {
                Print(result, report);
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }

        return 0;
    }

    /// <summary>Timings of one run; ratios are fp32 time over int8 time.</summary>
    public sealed record BenchResult(double Fp32Batch1Ms, double Int8Batch1Ms, double Fp32Batch8Ms, double Int8Batch8Ms, double Batch1SpeedUp, double Batch8SpeedUp, double MedianCosine);

    internal static BenchResult Measure(EmbeddingEngine fp32, EmbeddingEngine int8, IReadOnlyList<Mat> frames, double seconds, CancellationToken cancellationToken)
    {
        var perRound = TimeSpan.FromSeconds(seconds / Rounds);
        var one = new float[fp32.Dimension];
        var rows = new float[frames.Count * fp32.Dimension];
        double Time(Action run, int images)
        {
            run();
            int count = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < perRound)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run();
                count += images;
            }

            return clock.Elapsed.TotalMilliseconds / count;
        }

        var times = new double[4];
        for (int round = 0; round < Rounds; round++)
        {
            times[0] += Time(() => fp32.Embed(frames[0], one), 1) / Rounds;
            times[1] += Time(() => int8.Embed(frames[0], one), 1) / Rounds;
            times[2] += Time(() => fp32.EmbedBatch(frames, rows), frames.Count) / Rounds;
            times[3] += Time(() => int8.EmbedBatch(frames, rows), frames.Count) / Rounds;
        }

        var a = new float[frames.Count * fp32.Dimension];
        var b = new float[frames.Count * fp32.Dimension];
        fp32.EmbedBatch(frames, a);
        int8.EmbedBatch(frames, b);
        var cosines = Enumerable.Range(0, frames.Count).Select(i => Cosine(a.AsSpan(i * fp32.Dimension, fp32.Dimension), b.AsSpan(i * fp32.Dimension, fp32.Dimension))).Order().ToList();
        return new BenchResult(times[0], times[1], times[2], times[3], times[0] / times[1], times[2] / times[3], cosines[cosines.Count / 2]);
    }

    /// <summary>640x480 camera-like frames: smooth gradients with shapes, seeded; content does not change the cost.</summary>
    internal static List<Mat> Frames(int count)
    {
        var rng = new Random(5);
        var frames = new List<Mat>();
        for (int i = 0; i < count; i++)
        {
            var mat = new Mat(480, 640, MatType.CV_8UC3, new Scalar(rng.Next(256), rng.Next(256), rng.Next(256)));
            for (int k = 0; k < 12; k++)
            {
                Cv2.Circle(mat, new OpenCvSharp.Point(rng.Next(640), rng.Next(480)), rng.Next(10, 120), new Scalar(rng.Next(256), rng.Next(256), rng.Next(256)), -1);
            }

            Cv2.GaussianBlur(mat, mat, new OpenCvSharp.Size(5, 5), 0);
            frames.Add(mat);
        }

        return frames;
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

    private static void Print(BenchResult r, QuantizationReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("Batch", "fp32 ms/image", "int8 ms/image", "int8 speed-up");
        table.AddRow("1", r.Fp32Batch1Ms.ToString("F2", inv), r.Int8Batch1Ms.ToString("F2", inv), r.Batch1SpeedUp.ToString("F2", inv) + "x");
        table.AddRow("8", r.Fp32Batch8Ms.ToString("F2", inv), r.Int8Batch8Ms.ToString("F2", inv), r.Batch8SpeedUp.ToString("F2", inv) + "x");
        var console = CliOutput.Stdout();
        console.Write(table);
        var parity = report.Parity;
        console.MarkupLine(Markup.Escape(string.Create(inv,
            $"Parity ({report.Chosen} calibration on {report.CalibrationImages} images from {report.CalibrationOrigin}): median cosine {parity.MedianCosine:F4} on {parity.Images} held-back images, " +
            $"head agreement {(parity.HeadAgreement is { } h ? h.ToString("P1", inv) : "n/a")}; on the bench frames {r.MedianCosine:F4}.")));
    }
}
