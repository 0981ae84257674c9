using System.Security.Cryptography;

namespace EdgeRuntime.Fleet;

/// <summary>
/// ECDSA P-256 keys for fleet signing: PKCS#8 PEM for the private key (kept by whoever publishes heads), SPKI PEM
/// for the public key (the only one devices hold). The caller owns (disposes) every key returned.
/// </summary>
public static class FleetKeys
{
    /// <summary>A new P-256 key pair.</summary>
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Writes <paramref name="key"/> as &lt;prefix&gt;.key.pem (owner-only) and &lt;prefix&gt;.pub.pem; refuses to overwrite.</summary>
    /// <returns>The two paths written.</returns>
    public static (string PrivatePath, string PublicPath) Write(ECDsa key, string prefix)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string privatePath = prefix + ".key.pem";
        string publicPath = prefix + ".pub.pem";
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                throw new EdgeRuntimeException($"'{path}' already exists; a fleet key is never overwritten (devices trust the old public key). Choose another name or delete it first.");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(privatePath))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(privatePath, options))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        return (privatePath, publicPath);
    }

    /// <summary>Loads a PEM key (private or public) from <paramref name="path"/>; the message names the file when it is not a P-256 key.</summary>
    public static ECDsa Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeRuntimeException($"Cannot read the fleet key '{path}': {ex.Message}", ex);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new EdgeRuntimeException($"The fleet key '{path}' is not an ECDSA P-256 key.");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new EdgeRuntimeException($"The fleet key '{path}' is not a PEM ECDSA key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A short, stable name for a key: the first 16 hex digits of the SHA-256 of its public key (SPKI DER).</summary>
    public static string KeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The public half of <paramref name="key"/> as SPKI PEM (what devices and aggregators are given).</summary>
    public static string PublicPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>A public key from SPKI PEM text.</summary>
    public static ECDsa FromPublicPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FleetMessageRefusedException(FleetRefusal.Malformed, "The public key is not PEM ECDSA: " + ex.Message, ex);
        }
    }
}
