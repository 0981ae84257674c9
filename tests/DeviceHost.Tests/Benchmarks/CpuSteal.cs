using System.Globalization;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// The machine-wide CPU counters of /proc/stat: how much of the time the hypervisor gave to other guests (steal) tells
/// whether a noisy benchmark window was this process's doing or the host's.
/// </summary>
internal readonly record struct CpuSteal(long Total, long Stolen)
{
    public static CpuSteal Read()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks since boot.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new CpuSteal(fields.Take(8).Sum(), fields.Length > 7 ? fields[7] : 0);
    }

    public double PercentSince(CpuSteal earlier) =>
        Total == earlier.Total ? 0 : 100.0 * (Stolen - earlier.Stolen) / (Total - earlier.Total);
}
