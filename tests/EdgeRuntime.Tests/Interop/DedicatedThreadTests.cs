using System.Runtime.Versioning;
using EdgeRuntime.Interop;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Interop;

[SupportedOSPlatform("linux")]
public sealed class DedicatedThreadTests
{
    // Capture's default; any value above 0 shows the lowering.
    private const int Lowered = 5;

    [Fact]
    public async Task Calls_run_in_order_on_one_named_thread_below_the_callers_priority()
    {
        using var thread = new DedicatedThread("dedicated test", Lowered);

        var first = await thread.RunAsync(() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, ThreadNice.OfCurrentThread()));
        var second = thread.Invoke(() => Environment.CurrentManagedThreadId);

        Assert.Equal(first.CurrentManagedThreadId, second);
        Assert.NotEqual(Environment.CurrentManagedThreadId, second);
        Assert.Equal("dedicated test", first.Name);
        Assert.Equal(Lowered, first.Item3);
    }

    [Fact]
    public async Task A_thread_at_nice_zero_stays_at_the_callers_priority()
    {
        using var thread = new DedicatedThread("dedicated test", nice: 0);

        Assert.Equal(0, await thread.RunAsync(ThreadNice.OfCurrentThread));
    }

    [Fact]
    public void A_lowered_thread_hands_work_to_a_nice_zero_thread_created_at_normal_priority()
    {
        // The training runner's head activation: created by the service, invoked from the nice-10 training thread.
        using var activation = new DedicatedThread("activation test", nice: 0);
        int lowered = -1, handed = -1;
        var training = new Thread(() =>
        {
            LinuxThreadPriority.TryLowerCurrentThread(LinuxThreadPriority.BackgroundNice);
            lowered = ThreadNice.OfCurrentThread();
            activation.Invoke(() => { handed = ThreadNice.OfCurrentThread(); });
        });
        training.Start();
        training.Join();

        Assert.Equal(LinuxThreadPriority.BackgroundNice, lowered);
        Assert.Equal(0, handed);
    }

    [Fact]
    public async Task The_callers_continuations_never_run_at_the_dedicated_threads_priority()
    {
        using var thread = new DedicatedThread("dedicated test", Lowered);

        for (int i = 0; i < 50; i++)
        {
            // Many concurrent calls make the thread pool add workers; none may be started (and niced) by this thread.
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => thread.RunAsync(() => 1)));
            Assert.Equal(0, ThreadNice.OfCurrentThread());
        }
    }

    [Fact]
    public async Task An_exception_of_a_call_reaches_its_caller_and_the_thread_goes_on()
    {
        using var thread = new DedicatedThread("dedicated test", Lowered);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => thread.RunAsync<bool>(() => throw new InvalidOperationException("bad frame")));

        Assert.Equal("bad frame", failure.Message);
        Assert.Equal(42, await thread.RunAsync(() => 42));
        Assert.Throws<InvalidOperationException>(() => thread.Invoke<int>(() => throw new InvalidOperationException("bad open")));
        Assert.Equal("bad reload", Assert.Throws<InvalidOperationException>(() => thread.Invoke(() => throw new InvalidOperationException("bad reload"))).Message);
        Assert.Equal(7, thread.Invoke(() => 7));
    }

    [Fact]
    public void A_disposed_thread_refuses_new_calls()
    {
        var thread = new DedicatedThread("dedicated test", Lowered);
        thread.Dispose();

        Assert.Throws<ObjectDisposedException>(() => { _ = thread.RunAsync(() => 1); });
        Assert.Throws<ObjectDisposedException>(() => thread.Invoke(() => { }));
    }
}
