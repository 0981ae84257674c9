using System.Runtime.InteropServices;

namespace EdgeRuntime.Interop;

/// <summary>
/// Every libc function EdgeRuntime calls, in one place (Linux only; callers catch <see cref="DllNotFoundException"/>
/// and <see cref="EntryPointNotFoundException"/> where libc may be absent). Intent-named wrappers sit next to it:
/// <see cref="LinuxThreadPriority"/>, <see cref="GlibcMalloc"/> and Storage's PosixFile.
/// </summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, [Out] byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    public static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    public static partial int MallOpt(int parameter, int value);
}
