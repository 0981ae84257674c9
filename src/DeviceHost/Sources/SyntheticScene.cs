namespace DeviceHost.Sources;

/// <summary>Visually distinct generated scenes; a classifier trained on some of each tells them apart.</summary>
public enum SyntheticScene
{
    /// <summary>Scrolling two-colour vertical stripes.</summary>
    Stripes,

    /// <summary>Coloured discs drifting over a dark background.</summary>
    Blobs,

    /// <summary>A sliding two-colour checkerboard.</summary>
    Checker,

    /// <summary>A smooth colour gradient panning sideways.</summary>
    Gradient,

    /// <summary>
    /// A covered lens: near-black frames (the moving overlay stays, so the stream is not frozen). Shows the drift
    /// alarm's dark-frames signal on the demo source and in tests; not meant as a class.
    /// </summary>
    Covered,
}
