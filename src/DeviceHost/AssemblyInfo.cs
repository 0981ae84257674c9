using System.Runtime.Versioning;

// The device service targets Linux only (systemd, V4L2, GPIO character devices, Unix file modes).
[assembly: SupportedOSPlatform("linux")]
