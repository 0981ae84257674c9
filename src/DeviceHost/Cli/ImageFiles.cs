namespace DeviceHost.Cli;

/// <summary>Expands command-line paths into image files: files as given, folders recursively, in a stable order.</summary>
public static class ImageFiles
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    public static bool HasImageExtension(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder.</exception>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                result.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(HasImageExtension)
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                // An explicitly named file is tried whatever its extension; the decoder says if it is not an image.
                result.Add(path);
            }
            else
            {
                throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
            }
        }

        return result;
    }
}
