namespace EdgeRuntime.Drift;

/// <summary>
/// Raises after a condition held for a while and clears after its opposite held for a while; in between the state
/// stays. The gap between the raise and clear levels plus the two delays keep a noisy statistic from flapping.
/// </summary>
internal sealed class HysteresisLatch(TimeSpan raiseAfter, TimeSpan clearAfter)
{
    private DateTimeOffset? _pendingSince;

    public bool Raised { get; private set; }

    public DateTimeOffset? RaisedAt { get; private set; }

    public long Raises { get; private set; }

    /// <param name="beyond">The statistic is beyond its threshold.</param>
    /// <param name="inside">The statistic is inside its clear level.</param>
    /// <returns>True when the state changed.</returns>
    public bool Update(bool beyond, bool inside, DateTimeOffset now)
    {
        bool moving = Raised ? inside : beyond;
        if (!moving)
        {
            _pendingSince = null;
            return false;
        }

        _pendingSince ??= now;
        if (now - _pendingSince.Value < (Raised ? clearAfter : raiseAfter))
        {
            return false;
        }

        Raised = !Raised;
        RaisedAt = Raised ? now : null;
        Raises += Raised ? 1 : 0;
        _pendingSince = null;
        return true;
    }

    public void Reset()
    {
        (Raised, RaisedAt, _pendingSince) = (false, null, null);
    }
}
