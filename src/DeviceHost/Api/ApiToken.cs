using System.Security.Cryptography;
using System.Text;
using EdgeRuntime.Storage;

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

            // Written aside and renamed into place: a crash leaves no token file or a complete one, never an empty one
            // that every later start would refuse. If another process created it first, theirs is used.
            AtomicFile.CreateOnce(full, Encoding.ASCII.GetBytes(fresh + "\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
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
