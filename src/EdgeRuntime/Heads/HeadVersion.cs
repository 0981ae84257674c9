using System.Globalization;

namespace EdgeRuntime.Heads;

/// <summary>A stored head version: its number, directory and manifest (files not verified; see <see cref="HeadRegistry.Load"/>).</summary>
/// <param name="Version">Version number.</param>
/// <param name="Directory">Full path of its directory (<c>heads/v0007</c>).</param>
/// <param name="Manifest">Its parsed manifest.</param>
public sealed record HeadVersion(int Version, string Directory, HeadManifest Manifest)
{
    /// <summary>Display name: "v7".</summary>
    public string Name => FormatName(Version);

    /// <summary>"v" followed by the number, as shown to people.</summary>
    public static string FormatName(int version) => "v" + version.ToString(CultureInfo.InvariantCulture);
}
