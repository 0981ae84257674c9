namespace DeviceHost.Sources;

/// <summary>
/// The scene synthetic sources render, switchable at run time from any thread (e.g. an HTTP endpoint or a browser test).
/// Shared through <see cref="FrameSourceOptions.SceneControl"/> so a reconnected source keeps the chosen scene.
/// </summary>
public sealed class SyntheticSceneControl
{
    private int _scene;
    private int _chosen;

    /// <summary>Starts on <paramref name="initial"/> until someone (or a source address's scene option) chooses.</summary>
    public SyntheticSceneControl(SyntheticScene initial = SyntheticScene.Blobs)
    {
        _scene = (int)Validate(initial);
    }

    /// <summary>Raised after the scene changes, on the thread that changed it.</summary>
    public event EventHandler<SyntheticScene>? Changed;

    /// <summary>Scene names as accepted by <see cref="TryParse"/> and the <c>scene</c> option (lower case).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetNames<SyntheticScene>().Select(n => n.ToLowerInvariant())];

    /// <summary>The scene rendered from the next frame on.</summary>
    public SyntheticScene Scene
    {
        get => (SyntheticScene)Volatile.Read(ref _scene);
        set
        {
            Volatile.Write(ref _chosen, 1);
            var previous = (SyntheticScene)Interlocked.Exchange(ref _scene, (int)Validate(value));
            if (previous != value)
            {
                Changed?.Invoke(this, value);
            }
        }
    }

    /// <summary>Parses a scene name, case-insensitively.</summary>
    public static bool TryParse(string? name, out SyntheticScene scene)
    {
        scene = default;
        return !string.IsNullOrWhiteSpace(name)
            && !name.Trim().All(char.IsAsciiDigit)
            && Enum.TryParse(name.Trim(), ignoreCase: true, out scene)
            && Enum.IsDefined(scene);
    }

    /// <summary>Sets the scene from a source address only if nobody has chosen one yet, so reconnects do not undo a switch.</summary>
    internal void ApplyInitial(SyntheticScene scene)
    {
        if (Interlocked.CompareExchange(ref _chosen, 1, 0) == 0)
        {
            Volatile.Write(ref _scene, (int)Validate(scene));
        }
    }

    private static SyntheticScene Validate(SyntheticScene scene) =>
        Enum.IsDefined(scene)
            ? scene
            : throw new ArgumentOutOfRangeException(nameof(scene), scene, $"Unknown scene; known scenes: {string.Join(", ", Names)}.");
}
