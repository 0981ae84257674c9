using System.Globalization;
using BenchmarkDotNet.Running;
using EdgeRuntime.Benchmarks;

// `report [threads]` prints the issue figures in one run (fast, stopwatch medians after warm-up);
// `bdn ...` hands over to BenchmarkDotNet for the micro-benchmarks (allocation proof with MemoryDiagnoser).
var mode = args.Length > 0 ? args[0] : "report";
if (mode == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(Measure).Assembly).Run(args[1..]);
    return 0;
}

int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
BackboneReport.Run(threads);
return 0;
