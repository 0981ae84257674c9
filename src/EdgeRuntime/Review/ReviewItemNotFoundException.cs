namespace EdgeRuntime.Review;

/// <summary>Some review ids are not (or no longer) in the queue.</summary>
public sealed class ReviewItemNotFoundException(IReadOnlyList<string> ids)
    : EdgeRuntimeException(FaultKind.NotFound, $"Not in the review queue: {string.Join(", ", ids)}.")
{
    public IReadOnlyList<string> Ids { get; } = ids;
}
