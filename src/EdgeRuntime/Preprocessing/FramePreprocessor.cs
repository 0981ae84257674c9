using EdgeRuntime.Models;

namespace EdgeRuntime.Preprocessing;

/// <summary>
/// Turns any 8-bit frame into the model's input tensor in one pass: crop or letterbox, bilinear resize (OpenCV's
/// INTER_LINEAR sampling grid), colour order, scaling and normalisation, planar or interleaved layout.
/// One fused pass instead of resize, convert and split steps keeps the per-frame cost a small fraction of the
/// backbone's and allocates nothing once the sampling tables for a frame size exist.
/// Not thread-safe: one instance per caller (the engine serialises access).
/// </summary>
public sealed class FramePreprocessor
{
    private readonly InputSpec _spec;
    private readonly ResizeMode _mode;
    private readonly float[] _alpha = new float[3];
    private readonly float[] _beta = new float[3];
    private readonly float[] _pad = new float[3];
    private SamplingTables? _tables;

    public FramePreprocessor(InputSpec spec, ResizeMode mode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _mode = mode;
        for (int c = 0; c < 3; c++)
        {
            // v' = (v * scale - mean) / std, folded into one multiply-add per sample.
            _alpha[c] = spec.Scale / spec.Std[c];
            _beta[c] = -spec.Mean[c] / spec.Std[c];
            _pad[c] = _beta[c];
        }
    }

    public InputSpec Spec => _spec;

    public ResizeMode Mode => _mode;

    /// <summary>Writes one image tensor (3 x H x W floats) into <paramref name="destination"/>.</summary>
    public unsafe void Process(in ImageView image, Span<float> destination)
    {
        int w = _spec.Width, h = _spec.Height, plane = w * h;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; one image needs {3 * plane}.", nameof(destination));
        }

        var t = _tables;
        if (t is null || t.SourceWidth != image.Width || t.SourceHeight != image.Height || t.Channels != image.Channels)
        {
            t = _tables = SamplingTables.Create(image.Width, image.Height, image.Channels, w, h, _mode);
        }

        // Grey feeds all three planes; BGR(A) maps to the model's channel order.
        int s0, s1, s2;
        if (image.Channels == 1)
        {
            (s0, s1, s2) = (0, 0, 0);
        }
        else if (_spec.ChannelOrder == ChannelOrder.Rgb)
        {
            (s0, s1, s2) = (2, 1, 0);
        }
        else
        {
            (s0, s1, s2) = (0, 1, 2);
        }

        bool planar = _spec.Layout == TensorLayout.Nchw;
        float a0 = _alpha[0], a1 = _alpha[1], a2 = _alpha[2], b0 = _beta[0], b1 = _beta[1], b2 = _beta[2];
        byte* basePtr = (byte*)image.Data;
        fixed (float* dstPtr = destination)
        fixed (int* x0 = t.X0, x1 = t.X1)
        fixed (float* wx = t.Wx)
        {
            for (int y = 0; y < h; y++)
            {
                int rowOut = y * w;
                if (y < t.Top || y >= t.Bottom)
                {
                    FillPad(dstPtr, rowOut, 0, w, plane, planar);
                    continue;
                }

                byte* r0 = basePtr + ((long)t.Y0[y] * image.Stride);
                byte* r1 = basePtr + ((long)t.Y1[y] * image.Stride);
                float fy = t.Wy[y];
                FillPad(dstPtr, rowOut, 0, t.Left, plane, planar);
                for (int x = t.Left; x < t.Right; x++)
                {
                    int i0 = x0[x], i1 = x1[x];
                    float fx = wx[x];
                    float v0 = Sample(r0, r1, i0 + s0, i1 + s0, fx, fy);
                    float v1 = Sample(r0, r1, i0 + s1, i1 + s1, fx, fy);
                    float v2 = Sample(r0, r1, i0 + s2, i1 + s2, fx, fy);
                    int o = rowOut + x;
                    if (planar)
                    {
                        dstPtr[o] = (v0 * a0) + b0;
                        dstPtr[plane + o] = (v1 * a1) + b1;
                        dstPtr[(2 * plane) + o] = (v2 * a2) + b2;
                    }
                    else
                    {
                        dstPtr[3 * o] = (v0 * a0) + b0;
                        dstPtr[(3 * o) + 1] = (v1 * a1) + b1;
                        dstPtr[(3 * o) + 2] = (v2 * a2) + b2;
                    }
                }

                FillPad(dstPtr, rowOut, t.Right, w, plane, planar);
            }
        }
    }

    private static unsafe float Sample(byte* r0, byte* r1, int i0, int i1, float fx, float fy)
    {
        float top = r0[i0] + ((r0[i1] - r0[i0]) * fx);
        float bottom = r1[i0] + ((r1[i1] - r1[i0]) * fx);
        return top + ((bottom - top) * fy);
    }

    private unsafe void FillPad(float* dst, int rowOut, int from, int to, int plane, bool planar)
    {
        for (int x = from; x < to; x++)
        {
            int o = rowOut + x;
            for (int c = 0; c < 3; c++)
            {
                dst[planar ? (c * plane) + o : (3 * o) + c] = _pad[c];
            }
        }
    }
}
