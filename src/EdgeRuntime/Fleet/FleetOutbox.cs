using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EdgeRuntime.Storage;

namespace EdgeRuntime.Fleet;

/// <summary>
/// A bounded first-in-first-out queue of outgoing fleet messages on disk (&lt;data&gt;/fleet/outbox/, one file per
/// message, each written by temp-file-and-rename), so what must not be lost survives a broker outage and a restart.
/// A message is removed only after the broker acknowledged it. When the bound (messages or bytes) is reached new
/// messages are refused and counted in <see cref="Dropped"/>: what is inside the bound is never lost, and the bound
/// and the count are reported. Thread-safe.
/// </summary>
public sealed class FleetOutbox
{
    private const string Extension = ".msg";
    private readonly string _directory;
    private readonly IFileSystem _fileSystem;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, long> _sizes = [];
    private long _bytes;
    private long _next;
    private long _dropped;

    public FleetOutbox(string directory, int maxMessages, long maxBytes, IFileSystem? fileSystem = null)
    {
        if (maxMessages < 1 || maxBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), "The outbox bound must be at least one message and one byte.");
        }

        _directory = directory;
        _fileSystem = fileSystem ?? DiskFileSystem.Instance;
        MaxMessages = maxMessages;
        MaxBytes = maxBytes;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (name.Contains(AtomicFile.TempMarker, StringComparison.Ordinal))
            {
                AtomicFile.TryDelete(file);
            }
            else if (name.EndsWith(Extension, StringComparison.Ordinal) && long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
            {
                long size = new FileInfo(file).Length;
                _sizes[sequence] = size;
                _bytes += size;
            }
        }

        _next = _sizes.Count == 0 ? 1 : _sizes.Keys.Max() + 1;
    }

    public int MaxMessages { get; }

    public long MaxBytes { get; }

    /// <summary>Messages waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sizes.Count;
            }
        }
    }

    /// <summary>Bytes waiting (as stored).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Messages refused since start because the outbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Raised (outside the lock) after a message was stored.</summary>
    public event EventHandler? Enqueued;

    /// <summary>Stores a message durably; false (and counted in <see cref="Dropped"/>) when that would exceed the bound.</summary>
    public bool TryEnqueue(string topic, ReadOnlySpan<byte> payload, int qualityOfService, bool retain)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var encoded = Encode(topic, payload, qualityOfService, retain);
        lock (_gate)
        {
            if (_sizes.Count + 1 > MaxMessages || _bytes + encoded.Length > MaxBytes)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            long sequence = _next++;
            AtomicFile.Replace(_fileSystem, PathOf(sequence), encoded);
            _sizes[sequence] = encoded.Length;
            _bytes += encoded.Length;
        }

        Enqueued?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>The oldest waiting message, or null when the outbox is empty.</summary>
    public OutboxMessage? Peek()
    {
        long sequence;
        lock (_gate)
        {
            if (_sizes.Count == 0)
            {
                return null;
            }

            sequence = _sizes.Keys.First();
        }

        return Decode(sequence, File.ReadAllBytes(PathOf(sequence)));
    }

    /// <summary>Removes a message the broker acknowledged.</summary>
    public void Remove(long sequence)
    {
        lock (_gate)
        {
            if (_sizes.Remove(sequence, out long size))
            {
                _bytes -= size;
                File.Delete(PathOf(sequence));
            }
        }
    }

    private string PathOf(long sequence) => Path.Combine(_directory, sequence.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    private static byte[] Encode(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var buffer = new byte[2 + topicBytes.Length + 2 + payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, checked((ushort)topicBytes.Length));
        topicBytes.CopyTo(buffer, 2);
        buffer[2 + topicBytes.Length] = (byte)qos;
        buffer[3 + topicBytes.Length] = retain ? (byte)1 : (byte)0;
        payload.CopyTo(buffer.AsSpan(4 + topicBytes.Length));
        return buffer;
    }

    private static OutboxMessage Decode(long sequence, byte[] content)
    {
        int topicLength = BinaryPrimitives.ReadUInt16LittleEndian(content);
        string topic = Encoding.UTF8.GetString(content, 2, topicLength);
        return new OutboxMessage(sequence, topic, content.AsMemory(4 + topicLength), content[2 + topicLength], content[3 + topicLength] == 1);
    }
}
