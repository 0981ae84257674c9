namespace EdgeRuntime.FewShot;

/// <summary>Cross-validation needs at least two samples in every class; the message names the classes short of that.</summary>
public sealed class CrossValidationImpossibleException : EdgeRuntimeException
{
    public CrossValidationImpossibleException(string message)
        : base(message)
    {
    }

    public CrossValidationImpossibleException()
    {
    }

    public CrossValidationImpossibleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
