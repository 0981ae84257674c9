using System.Runtime.Versioning;
using DeviceHost.Sources;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Jittered_delays_stay_between_the_jitter_floor_and_the_ceiling_and_repeat_for_a_seed()
    {
        var options = new SupervisorOptions { JitterFraction = 0.25, JitterSeed = 42 };
        var first = ReconnectBackoff.From(options);
        var second = ReconnectBackoff.From(options);

        var delays = Enumerable.Range(0, 12).Select(first.Next).ToList();

        Assert.Equal(delays, Enumerable.Range(0, 12).Select(second.Next));
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = first.Ceiling(i);
            Assert.InRange(delays[i], ceiling * 0.75, ceiling);
        }

        Assert.Contains(Enumerable.Range(0, 12), i => delays[i] < first.Ceiling(i));
        Assert.Equal(TimeSpan.FromSeconds(30), first.Ceiling(7));
        Assert.Equal(TimeSpan.FromSeconds(30), first.Ceiling(1000));
    }
}
