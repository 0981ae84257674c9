namespace EdgeRuntime.Adaptation;

/// <summary>A deterministic, evenly spaced choice of at most a number of items from an ordered list.</summary>
public static class EvenSelection
{
    /// <summary>
    /// All of <paramref name="items"/> when there are at most <paramref name="maximum"/>; otherwise the items at the
    /// centres of <paramref name="maximum"/> equal stretches of the list, in order. The same list always gives the same
    /// choice, and the choice covers the whole list (a folder named by time is sampled across the whole time).
    /// </summary>
    public static IReadOnlyList<T> Pick<T>(IReadOnlyList<T> items, int maximum)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(maximum);
        if (items.Count <= maximum)
        {
            return items;
        }

        // Centre of stretch i of n/m items: floor((2i + 1)·n / 2m); 64-bit so a million files times the cap cannot overflow.
        return [.. Enumerable.Range(0, maximum).Select(i => items[(int)(((2L * i) + 1) * items.Count / (2L * maximum))])];
    }
}
