using System.Diagnostics;

namespace DeviceHost.Tests.Hosting;

/// <summary>Waits for a condition of a live host by polling with a bounded deadline (no fixed sleeps).</summary>
public static class Poll
{
    /// <summary>Evaluates <paramref name="probe"/> every <paramref name="interval"/> until it returns a value; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Like <see cref="UntilAsync{T}"/> for value types (e.g. a <c>JsonElement</c>).</summary>
    public static async Task<T> UntilValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(probe);
        var boxed = await UntilAsync<object>(async () => await probe(), timeout, what, interval);
        return (T)boxed;
    }

    /// <summary>Like <see cref="UntilAsync{T}"/> for a yes/no condition.</summary>
    public static Task UntilTrueAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        UntilAsync(async () => await probe() ? "" : null, timeout, what, interval);
}
