using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Execution;

/// <summary>
/// Points the ONNX Runtime bindings at a native library chosen by configuration (a JetPack build on Jetson,
/// where the NuGet binary targets the wrong CUDA). Must run before the first ONNX Runtime call of the process.
/// </summary>
public static class OnnxRuntimeNativeLibrary
{
    private static readonly Lock Gate = new();
    private static string? _configuredPath;

    /// <summary>The library path in force, or null when the NuGet package's own library is used.</summary>
    public static string? ConfiguredPath
    {
        get
        {
            lock (Gate)
            {
                return _configuredPath;
            }
        }
    }

    /// <summary>Routes later loads of "onnxruntime" to <paramref name="path"/>. Idempotent for the same path.</summary>
    /// <exception cref="EdgeRuntimeException">The file is missing, or another path was configured earlier in this process.</exception>
    public static void Use(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new EdgeRuntimeException($"Execution:NativeLibraryPath '{full}' does not exist.");
        }

        lock (Gate)
        {
            if (_configuredPath is not null)
            {
                if (_configuredPath == full)
                {
                    return;
                }

                throw new EdgeRuntimeException($"ONNX Runtime is already bound to '{_configuredPath}'; a process can load only one native library.");
            }

            Assembly ortAssembly = typeof(InferenceSession).Assembly;
            NativeLibrary.SetDllImportResolver(ortAssembly, (name, _, _) =>
                name is "onnxruntime" or "libonnxruntime" or "libonnxruntime.so" ? NativeLibrary.Load(full) : IntPtr.Zero);
            _configuredPath = full;
        }
    }
}
