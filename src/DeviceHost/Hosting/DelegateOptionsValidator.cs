using Microsoft.Extensions.Options;

namespace DeviceHost.Hosting;

/// <summary>Adapts an options class's own Validate() (which names the bad key) to the options pipeline.</summary>
public sealed class DelegateOptionsValidator<TOptions>(Func<TOptions, string?> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        validate(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
