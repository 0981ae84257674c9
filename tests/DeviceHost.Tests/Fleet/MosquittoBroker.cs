using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Fleet;

/// <summary>
/// Debian's mosquitto on a free loopback port with a generated configuration: no anonymous access, a password file
/// made by mosquitto_passwd, and an ACL under which each device may write only edgeruntime/&lt;site&gt;/&lt;itself&gt;/#
/// and read the site's fleet topics, while the operator may do anything. Persistence is on (saved after every
/// change), so a killed and restarted broker keeps sessions and retained messages. Owns the process and the directory.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MosquittoBroker : IDisposable
{
    public const string Operator = "operator";
    private readonly TestDirectory _root = new("edgeruntime-mosquitto");
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <param name="tls">Also listen with TLS on <see cref="TlsPort"/>, requiring a client certificate whose CN is the user name.</param>
    public MosquittoBroker(string site, IReadOnlyList<string> devices, bool tls = false)
    {
        Site = site;
        Port = FreePort();
        TlsPort = tls ? FreePort() : 0;
        string tlsListener = "";
        if (tls)
        {
            TestCertificates.Write(_root.Path, devices);
            tlsListener = string.Create(CultureInfo.InvariantCulture, $"""
                listener {TlsPort} 127.0.0.1
                cafile {_root.Combine("ca.pem")}
                certfile {_root.Combine("server.pem")}
                keyfile {_root.Combine("server.key")}
                require_certificate true
                use_identity_as_username true

                """);
        }

        Directory.CreateDirectory(_root.Combine("db"));
        var passwords = _root.Combine("passwd");
        foreach (var user in devices.Append(Operator))
        {
            var credentials = _root.Combine(user + ".credentials");
            File.WriteAllText(credentials, $"{user}\n{Password(user)}\n");
            Run("mosquitto_passwd", File.Exists(passwords) ? ["-b", passwords, user, Password(user)] : ["-b", "-c", passwords, user, Password(user)]);
        }

        File.WriteAllText(_root.Combine("acl"), $"""
            user {Operator}
            topic readwrite edgeruntime/#

            pattern readwrite edgeruntime/{site}/%u/#
            pattern read edgeruntime/{site}/fleet/#

            """);
        File.WriteAllText(_root.Combine("mosquitto.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            per_listener_settings false
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            acl_file {_root.Combine("acl")}
            persistence true
            persistence_location {_root.Combine("db")}/
            autosave_on_changes true
            autosave_interval 1
            max_inflight_messages 20
            max_queued_messages 100000
            user {Environment.UserName}
            log_dest stdout
            log_type error
            log_type warning
            log_type notice
            {tlsListener}
            """));
        Start();
    }

    public string Site { get; }

    public int Port { get; }

    /// <summary>The TLS listener's port; 0 without TLS.</summary>
    public int TlsPort { get; }

    public string TlsUri => string.Create(CultureInfo.InvariantCulture, $"mqtts://127.0.0.1:{TlsPort}");

    /// <summary>A file of the TLS set-up: ca.pem, &lt;user&gt;.pem, &lt;user&gt;.key.</summary>
    public string TlsFile(string name) => _root.Combine(name);

    public string Uri => string.Create(CultureInfo.InvariantCulture, $"mqtt://127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The credentials file (user, password) of <paramref name="user"/>.</summary>
    public string CredentialsFile(string user) => _root.Combine(user + ".credentials");

    public static string Password(string user) => "pw-" + user;

    /// <summary>Starts the broker and waits until it accepts connections.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_root.Combine("mosquitto.conf"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start (scripts/install-deps.sh test installs it).");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}:\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {Port} within 15 s:\n{Log}");
    }

    /// <summary>SIGKILL: no goodbye, whatever was not yet saved is lost (devices must cope).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _root.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static void Run(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
