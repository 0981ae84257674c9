using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// Still images from a folder shown as a slow camera, in ordinal name order, paced at option fps. The folder is listed
/// again at each wrap, so images added meanwhile join the cycle. Option loop (default true) stops after one pass when false.
/// </summary>
public sealed class ImageFolderFrameSource : IFrameSource
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pbm"];

    private readonly FrameSourceUri _uri;
    private readonly FramePacer _pacer;
    private readonly bool _loop;
    private string[] _files = [];
    private int _next;
    private bool _open;
    private bool _disposed;

    public ImageFolderFrameSource(FrameSourceUri uri, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Kind != FrameSourceKind.Folder)
        {
            throw new ArgumentException($"Expected a folder address, got {uri.Kind}.", nameof(uri));
        }

        _uri = uri;
        NominalFps = uri.Parameters.GetDouble("fps", options.FolderFps, 0.01, 1000);
        _loop = uri.Parameters.GetBool("loop", true);
        _pacer = new FramePacer(options.TimeProvider, NominalFps.Value);
    }

    /// <inheritdoc/>
    public FrameSourceKind Kind => FrameSourceKind.Folder;

    /// <inheritdoc/>
    public string DisplayName => _uri.DisplayName;

    /// <inheritdoc/>
    public double? NominalFps { get; }

    /// <inheritdoc/>
    public bool IsOpen => Volatile.Read(ref _open);

    /// <summary>The folder read.</summary>
    public string FolderPath => _uri.Target;

    /// <summary>The images of the current pass, in the order shown.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _files = ListImages();
        if (_files.Length == 0)
        {
            throw new FrameSourceException($"Could not open Folder source '{DisplayName}': {FolderPath} holds no images ({string.Join(", ", ImageExtensions)}).", isPermanent: false);
        }

        _next = 0;
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
        if (_next >= _files.Length)
        {
            if (!_loop)
            {
                return false;
            }

            _files = Directory.Exists(FolderPath) ? ListImages() : [];
            _next = 0;
            if (_files.Length == 0)
            {
                return false;
            }
        }

        var path = _files[_next++];
        using var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            // Unreadable or vanished: no frame this time; the next read moves on to the next image.
            return false;
        }

        image.CopyTo(destination);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        Volatile.Write(ref _open, false);
    }

    private string[] ListImages()
    {
        if (!Directory.Exists(FolderPath))
        {
            throw new FrameSourceException($"Could not open Folder source '{DisplayName}': {FolderPath} does not exist or is not a folder.", isPermanent: false);
        }

        var files = Directory.EnumerateFiles(FolderPath)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
