using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

/// <summary>A fact that needs to mount a tmpfs; skipped, with the reason, where mounting is not permitted.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public TmpfsFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = "Cannot mount a tmpfs here (needs Linux, root and mount permission): " + reason;
        }
    }

    private static string? Probe()
    {
        using var directory = new TestDirectory("tmpfs-probe");
        using var mount = TmpfsMount.TryMount(directory.Path, "64k", out string? failure);
        return failure;
    }
}
