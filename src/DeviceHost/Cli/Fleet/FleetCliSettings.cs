using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary>How a fleet command reaches the broker; each option overrides the configuration's Fleet section.</summary>
public class FleetCliSettings : CommonSettings
{
    [CommandOption("--broker <URI>")]
    [Description("mqtt://host:1883 or mqtts://host:8883. Default: Fleet:Broker.")]
    public string? Broker { get; set; }

    [CommandOption("--site <SITE>")]
    [Description("Site whose devices to address. Default: Fleet:Site.")]
    public string? Site { get; set; }

    [CommandOption("--credentials <FILE>")]
    [Description("File with the broker user name (line 1) and password (line 2). Default: Fleet:CredentialsFile.")]
    public string? CredentialsFile { get; set; }

    [CommandOption("--ca <FILE>")]
    [Description("PEM CA certificate of an mqtts:// broker. Default: Fleet:CaCertificateFile.")]
    public string? CaCertificateFile { get; set; }

    [CommandOption("--client-cert <FILE>")]
    [Description("PEM client certificate (mqtts://). Default: Fleet:ClientCertificateFile.")]
    public string? ClientCertificateFile { get; set; }

    [CommandOption("--client-key <FILE>")]
    [Description("PEM key of --client-cert. Default: Fleet:ClientKeyFile.")]
    public string? ClientKeyFile { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the broker and for answers. Default: 5.")]
    public double TimeoutSeconds { get; set; } = 5;
}
