using System.Globalization;
using BenchmarkDotNet.Running;
using EdgeRuntime.Benchmarks;

// `report [threads]` prints every report's figures in one run (fast, stopwatch medians after warm-up);
// `backbone [threads]`, `training [threads]`, `int8 [threads]` and `field [threads]` print one report;
// `fewshot [threads] [cache dir] [draws]` prints issue 8's few-shot table against scikit-learn;
// `instant [threads] [cache dir]` times the instant head against a full training on the same embeddings;
// `bdn ...` hands over to BenchmarkDotNet for the micro-benchmarks (allocation proof with MemoryDiagnoser).
var mode = args.Length > 0 ? args[0] : "report";
if (mode == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(Measure).Assembly).Run(args[1..]);
    return 0;
}

int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
switch (mode)
{
    case "report":
        BackboneReport.Run(threads);
        TrainingReport.Run(threads);
        Int8Report.Run(threads);
        FieldReport.Run(threads);
        break;
    case "field":
        FieldReport.Run(threads);
        break;
    case "backbone":
        BackboneReport.Run(threads);
        break;
    case "training":
        TrainingReport.Run(threads);
        break;
    case "int8":
        Int8Report.Run(threads);
        break;
    case "fewshot":
        EdgeRuntime.Benchmarks.FewShot.FewShotReport.Run(
            threads,
            args.Length > 2 ? args[2] : Path.Combine(AppContext.BaseDirectory, "fewshot-cache"),
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
        break;
    case "instant":
        EdgeRuntime.Benchmarks.FewShot.InstantReport.Run(threads, args.Length > 2 ? args[2] : Path.Combine(AppContext.BaseDirectory, "fewshot-cache"));
        break;
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}': use report, backbone, training, int8, field, fewshot, instant or bdn.");
        return 2;
}

return 0;
