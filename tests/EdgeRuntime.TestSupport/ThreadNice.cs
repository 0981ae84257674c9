using System.Globalization;

namespace EdgeRuntime.TestSupport;

/// <summary>Reads a thread's nice value as the kernel reports it, independently of the code that set it.</summary>
public static class ThreadNice
{
    /// <summary>The calling thread's nice value: field 19 of its /proc stat line (the 17th after the parenthesised name).</summary>
    public static int OfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
