using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>Brings whatever a backend delivered to the BGR 8UC3 layout the pipeline expects.</summary>
internal static class FrameConversion
{
    /// <summary>Converts <paramref name="frame"/> in place (via <paramref name="scratch"/>) when it is grey or BGRA.</summary>
    public static void EnsureBgr(Mat frame, Mat scratch)
    {
        var channels = frame.Channels();
        if (channels == 3 && frame.Depth() == MatType.CV_8U)
        {
            return;
        }

        if (frame.Depth() != MatType.CV_8U)
        {
            // 16-bit sources (some depth or thermal cameras) are scaled into 8 bits.
            frame.ConvertTo(scratch, MatType.CV_8U, 1.0 / 256);
            scratch.CopyTo(frame);
        }

        switch (frame.Channels())
        {
            case 1:
                Cv2.CvtColor(frame, scratch, ColorConversionCodes.GRAY2BGR);
                scratch.CopyTo(frame);
                break;
            case 4:
                Cv2.CvtColor(frame, scratch, ColorConversionCodes.BGRA2BGR);
                scratch.CopyTo(frame);
                break;
            case 3:
                break;
            default:
                throw new FrameSourceException($"Frames with {channels} channels cannot be shown as BGR.");
        }
    }
}
