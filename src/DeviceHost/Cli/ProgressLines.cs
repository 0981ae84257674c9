using System.Globalization;

namespace DeviceHost.Cli;

/// <summary>
/// Progress as plain lines ("import: 12/64 detail") for a non-interactive output: at most about
/// <see cref="Steps"/> lines per run, whatever the total, plus the final one.
/// </summary>
public sealed class ProgressLines(TextWriter output, string label, int total)
{
    public const int Steps = 50;

    private int _lastBucket = -1;
    private int _lastDone = -1;

    public void Report(int done, string? detail)
    {
        int bucket = total <= 0 ? 0 : (int)((long)Math.Clamp(done, 0, total) * Steps / total);
        if (done == _lastDone || (bucket == _lastBucket && done != total))
        {
            return;
        }

        (_lastBucket, _lastDone) = (bucket, done);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {done}/{total}{(detail is null ? "" : " " + detail)}"));
        output.Flush();
    }
}
