using System.Globalization;
using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// The built-in demo camera: generated frames (scene pattern, a moving marker, scene name, frame number and time),
/// paced at the configured rate. Options: scene, fps, width, height, seed.
/// </summary>
public sealed class SyntheticFrameSource : IFrameSource
{
    private readonly SyntheticSceneControl _control;
    private readonly SyntheticSceneRenderer _renderer;
    private readonly FramePacer _pacer;
    private readonly TimeProvider _time;
    private long _frame;
    private bool _open;
    private bool _disposed;

    public SyntheticFrameSource(FrameSourceUri uri, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Kind != FrameSourceKind.Synthetic)
        {
            throw new ArgumentException($"Expected a synthetic address, got {uri.Kind}.", nameof(uri));
        }

        DisplayName = uri.DisplayName;
        Width = uri.Parameters.GetInt("width", options.SyntheticWidth, 32, 8192);
        Height = uri.Parameters.GetInt("height", options.SyntheticHeight, 32, 8192);
        var fps = uri.Parameters.GetDouble("fps", options.SyntheticFps, 0.1, 240);
        var seed = uri.Parameters.GetInt("seed", options.SyntheticSeed, int.MinValue, int.MaxValue);
        _control = options.SceneControl;
        if (uri.Parameters.GetString("scene") is { } sceneName)
        {
            if (!SyntheticSceneControl.TryParse(sceneName, out var scene))
            {
                throw FrameSourceUri.Invalid(uri.Original, $"unknown scene '{sceneName}' (known: {string.Join(", ", SyntheticSceneControl.Names)})");
            }

            _control.ApplyInitial(scene);
        }

        NominalFps = fps;
        _time = options.TimeProvider;
        _pacer = new FramePacer(_time, fps);
        _renderer = new SyntheticSceneRenderer(Width, Height, seed);
    }

    /// <inheritdoc/>
    public FrameSourceKind Kind => FrameSourceKind.Synthetic;

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <inheritdoc/>
    public double? NominalFps { get; }

    /// <inheritdoc/>
    public bool IsOpen => Volatile.Read(ref _open);

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>The scene drawn from the next frame on; safe to set from any thread.</summary>
    public SyntheticScene Scene
    {
        get => _control.Scene;
        set => _control.Scene = value;
    }

    /// <summary>The shared control behind <see cref="Scene"/>.</summary>
    public SyntheticSceneControl SceneControl => _control;

    /// <inheritdoc/>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Volatile.Write(ref _open, true);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Frame source '{DisplayName}' is not open.");
        }

        await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        var scene = _control.Scene;
        var caption = string.Create(
            CultureInfo.InvariantCulture,
            $"{scene.ToString().ToLowerInvariant()}  #{_frame}  {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss.f}Z");
        _renderer.Render(destination, scene, _frame, caption);
        _frame++;
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Volatile.Write(ref _open, false);
        _renderer.Dispose();
    }
}
