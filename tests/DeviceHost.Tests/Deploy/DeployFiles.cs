namespace DeviceHost.Tests.Deploy;

/// <summary>Locations of the deployment files (deploy/jetson) in the checkout the tests run from.</summary>
internal static class DeployFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The checkout's root: the directory holding EdgeRuntime.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>deploy/jetson in the checkout.</summary>
    public static string JetsonDirectory => Path.Combine(RepositoryRoot, "deploy", "jetson");

    /// <summary>A file in deploy/jetson.</summary>
    public static string Jetson(string name) => Path.Combine(JetsonDirectory, name);

    private static string FindRepositoryRoot()
    {
        // The tests run from bin/<config>/<tfm>; the deploy files are read where they are versioned, not copied.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeRuntime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeRuntime.sln above {AppContext.BaseDirectory}; the deploy tests need the repository checkout.");
    }
}
