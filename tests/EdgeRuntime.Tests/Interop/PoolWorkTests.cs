using System.Collections.Concurrent;
using EdgeRuntime.Interop;

namespace EdgeRuntime.Tests.Interop;

public sealed class PoolWorkTests
{
    [Fact]
    public void On_a_lowered_thread_a_parallel_loop_runs_every_iteration_on_that_thread()
    {
        var threads = new ConcurrentBag<int>();
        int caller = 0, count = 0;
        OnLoweredThread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            PoolWork.For(0, 200, _ =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                Interlocked.Increment(ref count);
            });
        });

        Assert.Equal(200, count);
        Assert.All(threads, id => Assert.Equal(caller, id));
    }

    [Fact]
    public async Task On_a_lowered_thread_work_is_done_before_the_task_is_returned_and_never_on_the_pool()
    {
        Task<bool>? onPool = null;
        Task<int>? failing = null;
        OnLoweredThread(() =>
        {
            onPool = PoolWork.Run(() => Thread.CurrentThread.IsThreadPoolThread);
            failing = PoolWork.Run<int>(() => throw new InvalidOperationException("bad chunk"));
        });

        Assert.True(onPool!.IsCompletedSuccessfully);
        Assert.False(await onPool);
        Assert.True(failing!.IsFaulted);
        Assert.Equal("bad chunk", Assert.IsType<InvalidOperationException>(failing.Exception!.InnerException).Message);
    }

    [Fact]
    public async Task On_a_normal_thread_work_goes_to_the_thread_pool()
    {
        Assert.False(LinuxThreadPriority.IsCurrentThreadLowered);
        Assert.True(await PoolWork.Run(() => Thread.CurrentThread.IsThreadPoolThread));
    }

    private static void OnLoweredThread(Action work)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Assert.True(LinuxThreadPriority.TryLowerCurrentThread(1), "raising one's own nice value is always allowed on Linux");
                Assert.True(LinuxThreadPriority.IsCurrentThreadLowered);
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"on the lowered thread: {failure}");
        }
    }
}
