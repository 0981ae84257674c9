namespace EdgeRuntime.Heads;

/// <summary>Who or what asked for a head to be trained, with the requester's note.</summary>
public sealed record HeadTrigger
{
    /// <summary>The channel the request came through.</summary>
    public required HeadTriggerSource Source { get; init; }

    /// <summary>The user or client that asked, when known.</summary>
    public string? User { get; init; }

    /// <summary>Free text supplied with the request ("added rust class after line 3 retool").</summary>
    public string? Note { get; init; }
}
