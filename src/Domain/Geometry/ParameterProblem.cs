namespace ConvService.Domain.Geometry;

/// <summary>A rule an operator's arguments break: which parameter, and why, with the numbers.</summary>
public readonly record struct ParameterProblem(string Parameter, string Message)
{
    /// <summary>Throws the problem as the <see cref="ArgumentException"/> a Domain guard raises.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Throw() => throw new ArgumentException(Message, Parameter);
}
