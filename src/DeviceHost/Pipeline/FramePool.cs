using System.Collections.Concurrent;
using OpenCvSharp;

namespace DeviceHost.Pipeline;

/// <summary>
/// A few frame buffers cycled between capture and inference so steady-state capture allocates nothing.
/// The pool owns every Mat it ever handed out and disposes them all on dispose.
/// </summary>
public sealed class FramePool : IDisposable
{
    private readonly ConcurrentBag<Mat> _free = [];
    private readonly List<Mat> _all = [];
    private readonly Lock _gate = new();

    public Mat Rent()
    {
        if (_free.TryTake(out var mat))
        {
            return mat;
        }

        mat = new Mat();
        lock (_gate)
        {
            _all.Add(mat);
        }

        return mat;
    }

    public void Return(Mat mat) => _free.Add(mat);

    public int Allocated
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var mat in _all)
            {
                mat.Dispose();
            }

            _all.Clear();
        }
    }
}
