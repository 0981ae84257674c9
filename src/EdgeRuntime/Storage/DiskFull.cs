using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Storage;

/// <summary>Recognises "no space left on the device" however it surfaces: a .NET I/O error, SQLite, or wrapped by the engine.</summary>
public static class DiskFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int SqliteFull = 13;

    public static bool Caused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                    return true;

                // On Unix .NET puts the errno in HResult when it has no better mapping; ERROR_DISK_FULL/HANDLE_DISK_FULL on Windows.
                case IOException io when io.HResult is Enospc or Edquot || (io.HResult & 0xFFFF) is 0x70 or 0x27:
                    return true;
            }
        }

        return false;
    }
}
