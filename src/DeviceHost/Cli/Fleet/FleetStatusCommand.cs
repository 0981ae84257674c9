using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DeviceHost.Fleet;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary><c>edgeruntime fleet status</c>: the site's devices from their retained state and availability topics.</summary>
[Description("List the site's devices (online, health, head, accuracy, drift) from the broker's retained state.")]
public sealed class FleetStatusCommand : AsyncCommand<FleetCliSettings>
{
    /// <summary>
    /// Retained messages arrive in a burst right after subscribing; this much silence after the last one was handled
    /// ends the burst (the first messages of a fresh process are slow to handle, so it is counted from the end).
    /// </summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    public override async Task<int> ExecuteAsync(CommandContext context, FleetCliSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = FleetCliBroker.Options(settings);
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        var states = new ConcurrentDictionary<string, FleetState>(StringComparer.Ordinal);
        var online = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        long lastArrival = Environment.TickCount64;
        int handling = 0;
        await using (var broker = await FleetCliBroker.ConnectAsync(options, timeout, 4 * 1024 * 1024, cancellationToken).ConfigureAwait(false))
        {
            broker.MessageReceived += message =>
            {
                Interlocked.Increment(ref handling);
                try
                {
                    Receive(message);
                }
                finally
                {
                    Interlocked.Exchange(ref lastArrival, Environment.TickCount64);
                    Interlocked.Decrement(ref handling);
                }

                return Task.CompletedTask;
            };

            void Receive(FleetInbound message)
            {
                if (Topics.DeviceOf(message.Topic) is not { } device)
                {
                    return;
                }

                if (message.Topic.EndsWith("/availability", StringComparison.Ordinal))
                {
                    online[device] = Encoding.UTF8.GetString(message.Payload.Span) == "online";
                }
                else if (TryParse(message.Payload) is { } state)
                {
                    states[device] = state;
                }
            }

            await broker.SubscribeAsync([Topics.AllDevices(options.Site!, "state"), Topics.AllDevices(options.Site!, "availability")], cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref lastArrival, Environment.TickCount64);
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (Environment.TickCount64 < deadline
                && (Volatile.Read(ref handling) > 0 || Environment.TickCount64 - Interlocked.Read(ref lastArrival) < Quiet.TotalMilliseconds))
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            await broker.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        }

        var devices = states.Keys.Union(online.Keys).Order(StringComparer.Ordinal)
            .Select(d => new FleetDeviceView(d, online.TryGetValue(d, out var o) && o, states.GetValueOrDefault(d)))
            .ToList();
        Print(settings, options.Site!, devices);
        return 0;
    }

    private static FleetState? TryParse(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return payload.IsEmpty ? null : JsonSerializer.Deserialize<FleetState>(payload.Span, FleetJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Print(FleetCliSettings settings, string site, IReadOnlyList<FleetDeviceView> devices)
    {
        if (settings.Json)
        {
            CliOutput.WriteJson(new { site, devices }, keepNulls: true);
            return;
        }

        var console = CliOutput.Stdout();
        if (devices.Count == 0)
        {
            console.MarkupLine(Markup.Escape($"No device of site '{site}' has published a state."));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("Device", "Online", "Health", "Head", "Accuracy", "Drift", "Last bundle", "Outbox", "Updated (UTC)");
        foreach (var d in devices)
        {
            var s = d.State;
            table.AddRow(
                Markup.Escape(d.DeviceId),
                d.Online ? "[green]online[/]" : "[red]offline[/]",
                Markup.Escape(s?.Health ?? "-"),
                s?.ActiveHead is { } h ? $"v{h.Version.ToString(inv)}" : "-",
                s?.ActiveHead?.Accuracy is { } a ? a.ToString("P1", inv) : "-",
                Markup.Escape(s?.Drift?.ToString() ?? "-"),
                Markup.Escape(s?.LastBundle is { } b ? (b.Accepted ? (b.Activated ? "activated" : "kept") : $"refused ({b.Refusal})") : "-"),
                s is null ? "-" : $"{s.Outbox.Pending.ToString(inv)}/{s.Outbox.MaxMessages.ToString(inv)}" + (s.Outbox.Dropped > 0 ? $" ({s.Outbox.Dropped.ToString(inv)} dropped)" : ""),
                s?.UpdatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv) ?? "-");
        }

        console.Write(table);
    }
}
