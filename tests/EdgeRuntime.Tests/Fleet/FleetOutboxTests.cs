using System.Text;
using EdgeRuntime.Fleet;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Fleet;

public sealed class FleetOutboxTests : IDisposable
{
    private readonly TestDirectory _dir = new("fleet-outbox");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Messages_come_out_oldest_first_and_survive_reopening()
    {
        var outbox = new FleetOutbox(_dir.Path, 100, 1 << 20);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(outbox.TryEnqueue($"t/{i}", Encoding.UTF8.GetBytes($"m{i}"), 1, retain: i == 3));
        }

        outbox.Remove(outbox.Peek()!.Sequence);
        var reopened = new FleetOutbox(_dir.Path, 100, 1 << 20);
        Assert.Equal(9, reopened.Count);
        var seen = new List<string>();
        while (reopened.Peek() is { } message)
        {
            seen.Add(message.Topic + "=" + Encoding.UTF8.GetString(message.Payload.Span) + (message.Retain ? "r" : ""));
            Assert.Equal(1, message.QualityOfService);
            reopened.Remove(message.Sequence);
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"t/{i}=m{i}" + (i == 3 ? "r" : "")), seen);
        Assert.True(reopened.TryEnqueue("t/new", "x"u8, 1, false));
        Assert.Equal(11, reopened.Peek()!.Sequence);
    }

    [Fact]
    public void A_full_outbox_refuses_new_messages_counts_them_and_keeps_everything_inside_the_bound()
    {
        var byCount = new FleetOutbox(_dir.Combine("count"), 3, 1 << 20);
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(byCount.TryEnqueue("t", [(byte)i], 1, false)));
        Assert.False(byCount.TryEnqueue("t", [9], 1, false));
        Assert.Equal(1, byCount.Dropped);
        Assert.Equal(3, byCount.Count);
        Assert.Equal(0, byCount.Peek()!.Payload.Span[0]);

        var byBytes = new FleetOutbox(_dir.Combine("bytes"), 100, 100);
        Assert.True(byBytes.TryEnqueue("t", new byte[60], 1, false));
        Assert.False(byBytes.TryEnqueue("t", new byte[60], 1, false));
        Assert.Equal(1, byBytes.Dropped);
        byBytes.Remove(byBytes.Peek()!.Sequence);
        Assert.True(byBytes.TryEnqueue("t", new byte[60], 1, false));
    }

    [Fact]
    public void Leftovers_of_an_interrupted_write_are_removed_at_open()
    {
        var outbox = new FleetOutbox(_dir.Path, 10, 1 << 20);
        outbox.TryEnqueue("t", "a"u8, 1, false);
        File.WriteAllText(Path.Combine(_dir.Path, "000000000002.msg.tmp-abc"), "half");
        var reopened = new FleetOutbox(_dir.Path, 10, 1 << 20);
        Assert.Equal(1, reopened.Count);
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir.Path), f => f.Contains(".tmp-", StringComparison.Ordinal));
    }
}
