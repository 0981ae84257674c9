using System.Security.Cryptography;
using System.Text;

namespace DeviceHost.Api;

/// <summary>
/// The technician token: 32 random bytes as 64 hex characters in a file readable by the service user and its group
/// only (0640). Created at first start when missing, never overwritten. Compared in constant time.
/// </summary>
public sealed class ApiToken
{
    private readonly byte[] _token;

    private ApiToken(string path, byte[] token)
    {
        Path = path;
        _token = token;
    }

    public string Path { get; }

    /// <exception cref="InvalidOperationException">The file exists but is empty.</exception>
    public static ApiToken LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            };
            try
            {
                using var stream = new FileStream(full, options);
                stream.Write(Encoding.ASCII.GetBytes(fresh + "\n"));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process created it first; use theirs.
            }
        }

        var text = File.ReadAllText(full).Trim();
        if (text.Length == 0)
        {
            throw new InvalidOperationException($"Api:TokenFile '{full}' is empty; delete it to have a new token generated.");
        }

        return new ApiToken(full, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>True when <paramref name="authorization"/> is "Bearer &lt;token&gt;" with the right token.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var offered = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(offered, _token);
    }
}
