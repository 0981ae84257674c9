namespace DeviceHost.Field;

/// <summary>
/// The live source cannot give the frames an adaptation needs: it has stalled (<see cref="Stalled"/>; a conflict with
/// the device's state, 409) or gave too few distinct frames (bad input for the request, 400). Nothing was changed.
/// </summary>
public sealed class LiveFramesUnavailableException(string message, bool stalled) : Exception(message)
{
    public bool Stalled { get; } = stalled;
}
