using System.Globalization;
using System.Text;
using EdgeRuntime.Storage;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The publisher's bundle sequence, kept next to its private key (&lt;key&gt;.sequence): strictly increasing, and at
/// least the current Unix time in milliseconds, so a publisher that lost the file still moves forward.
/// </summary>
public static class PublisherSequence
{
    public static long Next(string privateKeyPath, DateTimeOffset now)
    {
        string path = privateKeyPath + ".sequence";
        long last = File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored) ? stored : 0;
        long next = Math.Max(last + 1, now.ToUnixTimeMilliseconds());
        AtomicFile.Replace(DiskFileSystem.Instance, Path.GetFullPath(path), Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture)));
        return next;
    }
}
