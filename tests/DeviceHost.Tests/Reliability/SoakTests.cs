using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using DeviceHost.Tests.Cli;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Reliability;

/// <summary>
/// Opt-in soak (<c>EDGERUNTIME_SOAK_MINUTES=30</c>): the real service as a child process, live inference on the
/// synthetic camera, /status and prediction polling, and a training job every few minutes. Reports the resident
/// memory slope and requires 0 failed requests and a slope under <see cref="MaxSlopeMbPerHour"/>. Training makes RSS a
/// sawtooth (each job allocates, the GC and malloc give it back later), so the slope is fitted to the lowest RSS of
/// each training cycle after the first (the baseline a leak would lift), not to raw samples whose last point may sit
/// on a peak; the raw least-squares slope is reported beside it.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(CliCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The stated bound: 20 MB/h would exhaust a Jetson's spare memory only after days, not within a shift.</summary>
    public const double MaxSlopeMbPerHour = 20;

    private readonly TestDirectory _dir = new("edgeruntime-soak");

    [SoakFact]
    public async Task Live_inference_status_load_and_periodic_training_for_the_soak_period_fail_no_request_and_do_not_grow()
    {
        var duration = TimeSpan.FromMinutes(SoakFactAttribute.Minutes!.Value);
        var trainEvery = TimeSpan.FromMinutes(Math.Min(3, Math.Max(0.5, duration.TotalMinutes / 6)));
        using var host = await DeviceHostRunner.StartChildAsync(_dir.Path, new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?fps=10",
            ["Calibration:AugmentedViews"] = "0",
        });
        await host.AuthorizedClient.UploadSamplesAsync("stripes", ImageFamily.Stripes, 8, 1);
        await host.AuthorizedClient.UploadSamplesAsync("blobs", ImageFamily.Blobs, 8, 2);

        var clock = Stopwatch.StartNew();
        var rss = new List<(double Minutes, double Mb)>();
        long requests = 0, failed = 0, trainings = 0;
        var failures = new List<string>();
        var nextTraining = TimeSpan.Zero;
        var nextSample = TimeSpan.Zero;
        string[] polled = ["/status", "/predictions/latest", "/status", "/predictions?limit=20", "/frame.jpg", "/heads", "/status"];
        while (clock.Elapsed < duration)
        {
            if (clock.Elapsed >= nextTraining)
            {
                nextTraining += trainEvery;
                var job = await host.AuthorizedClient.WaitForJobAsync(await host.AuthorizedClient.StartTrainingAsync("{\"force\":true}"), TimeSpan.FromMinutes(10));
                trainings++;
                if (job.GetProperty("state").GetString() != "succeeded")
                {
                    failures.Add($"training {trainings}: {job}");
                }
            }

            if (clock.Elapsed >= nextSample)
            {
                nextSample += TimeSpan.FromSeconds(10);
                rss.Add((clock.Elapsed.TotalMinutes, ResidentMb(host.ProcessId)));
            }

            var path = polled[(int)(requests % polled.Length)];
            using var response = await host.Client.GetAsync(HostApi.Path(path));
            requests++;
            if (!response.IsSuccessStatusCode)
            {
                failed++;
                failures.Add($"GET {path} at {clock.Elapsed}: {(int)response.StatusCode}");
            }

            await Task.Delay(50);
        }

        double raw = Slope(rss.Skip(rss.Count / 2).ToList()) * 60;
        var baselines = rss.Where(r => r.Minutes >= trainEvery.TotalMinutes)
            .GroupBy(r => Math.Floor(r.Minutes / trainEvery.TotalMinutes))
            .Select(g => g.MinBy(r => r.Mb))
            .ToList();
        double slope = baselines.Count >= 2 ? Slope(baselines) * 60 : raw;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak {duration.TotalMinutes:F0} min: {requests} requests, {failed} failed, {trainings} trainings; RSS first {rss[0].Mb:F0} MB, max {rss.Max(r => r.Mb):F0} MB, last {rss[^1].Mb:F0} MB; "
            + $"slope of per-cycle minima {slope:F1} MB/h over {baselines.Count} cycles (bound {MaxSlopeMbPerHour}), raw least squares over the second half {raw:F1} MB/h; minima {string.Join(" ", baselines.Select(b => b.Mb.ToString("F0", CultureInfo.InvariantCulture)))}"));
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.False(host.HasExited);
        Assert.True(slope < MaxSlopeMbPerHour, $"resident memory grows {slope:F1} MB/h");
    }

    public void Dispose() => _dir.Dispose();

    private static double ResidentMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Least-squares slope in MB per minute.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double num = points.Sum(p => (p.X - mx) * (p.Y - my)), den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? 0 : num / den;
    }
}
