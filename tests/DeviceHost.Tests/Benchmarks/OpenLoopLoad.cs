using System.Diagnostics;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// Sends GET requests at a fixed rate regardless of how fast answers come (open loop, so a slow server cannot slow
/// the load down and hide its latency), and records each request's latency.
/// </summary>
public static class OpenLoopLoad
{
    /// <returns>Latencies in milliseconds of the answered requests, and the number of failed ones (exceptions or non-2xx).</returns>
    public static async Task<(IReadOnlyList<double> LatenciesMs, int Failures)> RunAsync(HttpClient client, Uri path, double requestsPerSecond, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var count = (int)(requestsPerSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1 / requestsPerSecond);
        var requests = new List<Task<double?>>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            requests.Add(SendAsync(client, path));
        }

        var results = await Task.WhenAll(requests);
        return ([.. results.Where(r => r is not null).Select(r => r!.Value)], results.Count(r => r is null));
    }

    private static async Task<double?> SendAsync(HttpClient client, Uri path)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            return response.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
